// One copy of KernelBody.h per instruction set, and the choice between them at run time.
// Products and sums are never fused: every target below computes a·b, rounds, then adds and rounds,
// exactly as the engine's Swift code does.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#include "AutogradKernels.h"
#include <math.h>
#include <stdlib.h>

/// Eight doubles; an instruction set without 8-lane registers splits it into 4, 2 or 1 registers.
typedef double v8d __attribute__((vector_size(64), aligned(8)));

/// Eight doubles from memory (no alignment needed), back to memory, and one double in every lane.
#define LOAD(pointer) ({ v8d loaded_; __builtin_memcpy(&loaded_, (pointer), sizeof loaded_); loaded_; })
#define STORE(pointer, vector) do { v8d stored_ = (vector); __builtin_memcpy((pointer), &stored_, sizeof stored_); } while (0)
#define SPLAT(scalar) ({ double s_ = (scalar); (v8d){s_, s_, s_, s_, s_, s_, s_, s_}; })

// MARK: - Scratch memory, per thread, kept between calls

enum { SCRATCH_SLOTS = 3 };
static _Thread_local double *doubleScratch[SCRATCH_SLOTS];
static _Thread_local size_t doubleCapacity[SCRATCH_SLOTS];
static _Thread_local long *longScratch[SCRATCH_SLOTS];
static _Thread_local size_t longCapacity[SCRATCH_SLOTS];

static double *scratch_doubles(int slot, size_t count) {
    if (count > doubleCapacity[slot]) {
        free(doubleScratch[slot]);
        size_t capacity = count + count / 2 + 64;
        doubleScratch[slot] = malloc(capacity * sizeof(double));
        if (!doubleScratch[slot]) abort();
        doubleCapacity[slot] = capacity;
    }
    return doubleScratch[slot];
}

static long *scratch_longs(int slot, size_t count) {
    if (count > longCapacity[slot]) {
        free(longScratch[slot]);
        size_t capacity = count + count / 2 + 64;
        longScratch[slot] = malloc(capacity * sizeof(long));
        if (!longScratch[slot]) abort();
        longCapacity[slot] = capacity;
    }
    return longScratch[slot];
}

// MARK: - The copies

#define KERNEL_NAME2(name, suffix) name##_##suffix
#define KERNEL_NAME(name, suffix) KERNEL_NAME2(name, suffix)

#define KERNEL(name) KERNEL_NAME(name, portable)
#include "KernelBody.h"
#undef KERNEL

#if defined(__x86_64__)
#pragma clang attribute push(__attribute__((target("avx2"))), apply_to = function)
#define KERNEL(name) KERNEL_NAME(name, avx2)
#include "KernelBody.h"
#undef KERNEL
#pragma clang attribute pop

#pragma clang attribute push(__attribute__((target("avx512f"))), apply_to = function)
#define KERNEL(name) KERNEL_NAME(name, avx512)
#include "KernelBody.h"
#undef KERNEL
#pragma clang attribute pop
#endif

// MARK: - Dispatch

static int supportedLevel(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return BAIFS_KERNELS_AVX512;
    if (__builtin_cpu_supports("avx2")) return BAIFS_KERNELS_AVX2;
#endif
    return BAIFS_KERNELS_PORTABLE;
}

/// -1 until first use.
static int currentLevel = -1;

int baifs_kernels_level(void) {
    int level = __atomic_load_n(&currentLevel, __ATOMIC_RELAXED);
    if (level < 0) {
        level = supportedLevel();
        const char *requested = getenv("BAIFS_KERNELS");
        if (requested) {
            for (int candidate = BAIFS_KERNELS_PORTABLE; candidate <= BAIFS_KERNELS_AVX512; candidate++) {
                const char *name = baifs_kernels_level_name(candidate);
                const char *a = requested, *b = name;
                while (*a && *a == *b) { a++; b++; }
                if (*a == 0 && *b == 0 && candidate < level) level = candidate;
            }
        }
        __atomic_store_n(&currentLevel, level, __ATOMIC_RELAXED);
    }
    return level;
}

int baifs_kernels_set_level(int level) {
    int supported = supportedLevel();
    int chosen = level < BAIFS_KERNELS_PORTABLE ? BAIFS_KERNELS_PORTABLE : (level > supported ? supported : level);
    __atomic_store_n(&currentLevel, chosen, __ATOMIC_RELAXED);
    return chosen;
}

const char *baifs_kernels_level_name(int level) {
    switch (level) {
    case BAIFS_KERNELS_AVX2: return "avx2";
    case BAIFS_KERNELS_AVX512: return "avx512";
    default: return "portable";
    }
}

#if defined(__x86_64__)
#define DISPATCH(name, ...)                                                              \
    switch (baifs_kernels_level()) {                                                     \
    case BAIFS_KERNELS_AVX512: KERNEL_NAME(name, avx512)(__VA_ARGS__); break;            \
    case BAIFS_KERNELS_AVX2: KERNEL_NAME(name, avx2)(__VA_ARGS__); break;                \
    default: KERNEL_NAME(name, portable)(__VA_ARGS__); break;                            \
    }
#else
#define DISPATCH(name, ...) KERNEL_NAME(name, portable)(__VA_ARGS__);
#endif

static int allFinite(const double *values, long count) {
    for (long i = 0; i < count; i++) if (!isfinite(values[i])) return 0;
    return 1;
}

void baifs_linear_forward(const double *x, const double *w, const double *b, double *y,
                          long batch, long inputs, long outputs) {
    DISPATCH(linear_forward, x, w, b, y, batch, inputs, outputs)
}

void baifs_linear_backward(const double *gy, const double *x, const double *w,
                           double *gx, double *gw, double *gb, long batch, long inputs, long outputs) {
    DISPATCH(linear_backward, gy, x, w, gx, gw, gb, batch, inputs, outputs)
}

int baifs_conv_forward(const double *x, const double *w, const double *b, double *y,
                       long batch, long channels, long height, long width, long outputs,
                       long kernel, long padding) {
    if (!allFinite(w, outputs * channels * kernel * kernel)) return 0;
    DISPATCH(conv_forward, x, w, b, y, batch, channels, height, width, outputs, kernel, padding)
    return 1;
}

int baifs_conv_backward(const double *gy, const double *x, const double *w,
                        double *gx, double *gw, double *gb,
                        long batch, long channels, long height, long width, long outputs,
                        long kernel, long padding) {
    long outHeight = height + 2 * padding - kernel + 1, outWidth = width + 2 * padding - kernel + 1;
    if (!allFinite(w, outputs * channels * kernel * kernel)) return 0;
    if (!allFinite(gy, batch * outputs * outHeight * outWidth)) return 0;
    if (!allFinite(x, batch * channels * height * width)) return 0;
    DISPATCH(conv_backward, gy, x, w, gx, gw, gb, batch, channels, height, width, outputs, kernel, padding)
    return 1;
}

void baifs_relu_forward(const double *x, double *y, long count) {
    DISPATCH(relu_forward, x, y, count)
}

void baifs_relu_backward(const double *x, const double *gy, double *gx, long count) {
    DISPATCH(relu_backward, x, gy, gx, count)
}

void baifs_add_forward(const double *a, const double *b, double *y, long count) {
    DISPATCH(add_forward, a, b, y, count)
}

void baifs_add_backward(const double *gy, double *ga, double *gb, long count) {
    DISPATCH(add_backward, gy, ga, gb, count)
}

void baifs_tanh_backward(const double *y, const double *gy, double *gx, long count) {
    DISPATCH(tanh_backward, y, gy, gx, count)
}
