// SHA-256 block compression: portable C, and the x86 SHA extensions (SHA-NI) where cpuid has them.
#include "SHA256Kernels.h"
#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

/// K0…K63: the first 32 bits of the fractional parts of the cube roots of the first 64 primes.
static const uint32_t roundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

// MARK: - Portable

static inline uint32_t rotateRight(uint32_t value, unsigned amount) {
    return (value >> amount) | (value << (32 - amount));
}

static inline uint32_t loadBigEndian(const uint8_t *bytes) {
    return (uint32_t)bytes[0] << 24 | (uint32_t)bytes[1] << 16 | (uint32_t)bytes[2] << 8 | (uint32_t)bytes[3];
}

/// FIPS 180-4 §6.2.2, as written: the message schedule W0…W63, then 64 rounds.
static void compressPortable(uint32_t state[8], const uint8_t *blocks, size_t count) {
    uint32_t words[64];
    for (; count > 0; count--, blocks += 64) {
        for (int t = 0; t < 16; t++) words[t] = loadBigEndian(blocks + 4 * t);
        for (int t = 16; t < 64; t++) {
            uint32_t s0 = rotateRight(words[t - 15], 7) ^ rotateRight(words[t - 15], 18) ^ (words[t - 15] >> 3);
            uint32_t s1 = rotateRight(words[t - 2], 17) ^ rotateRight(words[t - 2], 19) ^ (words[t - 2] >> 10);
            words[t] = words[t - 16] + s0 + words[t - 7] + s1;
        }
        uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
        uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            uint32_t s1 = rotateRight(e, 6) ^ rotateRight(e, 11) ^ rotateRight(e, 25);
            uint32_t choice = (e & f) ^ (~e & g);
            uint32_t temporary1 = h + s1 + choice + roundConstants[t] + words[t];
            uint32_t s0 = rotateRight(a, 2) ^ rotateRight(a, 13) ^ rotateRight(a, 22);
            uint32_t majority = (a & b) ^ (a & c) ^ (b & c);
            uint32_t temporary2 = s0 + majority;
            h = g; g = f; f = e; e = d + temporary1;
            d = c; c = b; b = a; a = temporary1 + temporary2;
        }
        state[0] += a; state[1] += b; state[2] += c; state[3] += d;
        state[4] += e; state[5] += f; state[6] += g; state[7] += h;
    }
}

// MARK: - x86 SHA extensions

#if defined(__x86_64__)
/// The same function with SHA256RNDS2 (two rounds), SHA256MSG1 and SHA256MSG2 (the schedule).
/// The instructions keep the working variables as two vectors, ABEF and CDGH (lanes from high to
/// low), and take the message words with the round constants already added, four at a time.
__attribute__((target("sha,sse4.1,ssse3")))
static void compressExtensions(uint32_t state[8], const uint8_t *blocks, size_t count) {
    const __m128i byteSwap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    // state[0…3] = a b c d and state[4…7] = e f g h, to ABEF and CDGH.
    __m128i dcba = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)&state[4]);
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
    __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
    __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

    for (; count > 0; count--, blocks += 64) {
        const __m128i abefBefore = abef, cdghBefore = cdgh;
        // words[i % 4] holds W(4i)…W(4i+3), the schedule's next four words computed four groups ahead.
        __m128i words[4];
        for (int i = 0; i < 4; i++) words[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(blocks + 16 * i)), byteSwap);
        for (int group = 0; group < 16; group++) {
            __m128i message = _mm_add_epi32(words[group % 4], _mm_loadu_si128((const __m128i *)&roundConstants[4 * group]));
            cdgh = _mm_sha256rnds2_epu32(cdgh, abef, message);
            abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(message, 0x0E));
            if (group < 12) {
                // W(t) = σ1(W(t−2)) + W(t−7) + σ0(W(t−15)) + W(t−16) for the four t of group + 4.
                __m128i partial = _mm_sha256msg1_epu32(words[group % 4], words[(group + 1) % 4]);
                partial = _mm_add_epi32(partial, _mm_alignr_epi8(words[(group + 3) % 4], words[(group + 2) % 4], 4));
                words[group % 4] = _mm_sha256msg2_epu32(partial, words[(group + 3) % 4]);
            }
        }
        abef = _mm_add_epi32(abef, abefBefore);
        cdgh = _mm_add_epi32(cdgh, cdghBefore);
    }
    // ABEF and CDGH back to a b c d and e f g h.
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
    _mm_storeu_si128((__m128i *)&state[0], _mm_blend_epi16(feba, dchg, 0xF0));
    _mm_storeu_si128((__m128i *)&state[4], _mm_alignr_epi8(dchg, feba, 8));
}
#endif

// MARK: - Dispatch

static int supportedLevel(void) {
#if defined(__x86_64__)
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return BAIFS_SHA256_PORTABLE;
    int hasSSSE3 = (ecx >> 9) & 1, hasSSE41 = (ecx >> 19) & 1;
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return BAIFS_SHA256_PORTABLE;
    int hasSHA = (ebx >> 29) & 1;
    if (hasSSSE3 && hasSSE41 && hasSHA) return BAIFS_SHA256_EXTENSIONS;
#endif
    return BAIFS_SHA256_PORTABLE;
}

/// -1 until first use.
static int knownLevel = -1;

int baifs_sha256_supported_level(void) {
    int level = __atomic_load_n(&knownLevel, __ATOMIC_RELAXED);
    if (level < 0) {
        level = supportedLevel();
        __atomic_store_n(&knownLevel, level, __ATOMIC_RELAXED);
    }
    return level;
}

void baifs_sha256_compress(int level, uint32_t state[8], const uint8_t *blocks, size_t count) {
#if defined(__x86_64__)
    if (level >= BAIFS_SHA256_EXTENSIONS && baifs_sha256_supported_level() >= BAIFS_SHA256_EXTENSIONS) {
        compressExtensions(state, blocks, count);
        return;
    }
#endif
    compressPortable(state, blocks, count);
}
