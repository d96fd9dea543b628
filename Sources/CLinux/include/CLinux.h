// Linux calls that Swift's Glibc module does not import: <sys/vfs.h> is not in its module map, and
// pthread_setname_np is a GNU extension. One small C file instead of looking them up with dlsym(3).
#ifndef MARSAD_CLINUX_H
#define MARSAD_CLINUX_H

/// statfs(path).f_type, the magic number of the filesystem holding `path`, into `*magic`.
/// Returns 0, or -1 with errno set.
int marsad_filesystem_magic(const char *path, unsigned long *magic);

/// Names the calling thread (the kernel keeps at most 15 bytes). Returns 0 or an error number.
int marsad_name_current_thread(const char *name);

#endif
