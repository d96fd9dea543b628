#define _GNU_SOURCE
#include "CLinux.h"
#include <pthread.h>
#include <string.h>
#include <sys/vfs.h>

int marsad_filesystem_magic(const char *path, unsigned long *magic) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    *magic = (unsigned long)info.f_type;
    return 0;
}

int marsad_name_current_thread(const char *name) {
    char shortened[16];
    strncpy(shortened, name, sizeof shortened - 1);
    shortened[sizeof shortened - 1] = '\0';
    return pthread_setname_np(pthread_self(), shortened);
}
