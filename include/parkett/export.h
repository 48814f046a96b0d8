// PARKETT_EXPORT marks what the shared library exports: the public API and nothing else
// (the library is compiled with -fvisibility=hidden).
#pragma once

#if defined(_WIN32)
#define PARKETT_EXPORT
#else
#define PARKETT_EXPORT __attribute__((visibility("default")))
#endif
