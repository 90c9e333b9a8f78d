// The SHA-256 compression function (FIPS 180-4, §6.2.2), in portable C and with the x86 SHA
// extensions, chosen at run time. Both compute the same function, so digests never depend on the
// machine; the extensions only make it about five times as fast.
#ifndef SHA256_KERNELS_H
#define SHA256_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The implementations.
enum {
    BAIFS_SHA256_PORTABLE = 0,
    BAIFS_SHA256_EXTENSIONS = 1,
};

/// The best implementation this processor supports.
int baifs_sha256_supported_level(void);

/// Updates the hash `state` (H0…H7) with `count` consecutive 64-byte message blocks at `blocks`,
/// using the implementation `level` (or the best supported below it).
void baifs_sha256_compress(int level, uint32_t state[8], const uint8_t *blocks, size_t count);

#ifdef __cplusplus
}
#endif

#endif
