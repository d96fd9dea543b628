#ifndef MARSAD_CZSTD_SHIM_H
#define MARSAD_CZSTD_SHIM_H
#include <zstd.h>
#endif
