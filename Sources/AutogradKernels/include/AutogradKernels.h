// Fused kernels for the engine's dot-product layers (linear and stride-1 convolution).
//
// Every kernel computes exactly what the engine's node-by-node code computes: each dot product is
// summed term by term in its own order (a product, rounded, then a sum, rounded; never a fused
// multiply-add), and each gradient receives its contributions in reverse node order, skipping nodes
// whose gradient is zero. The kernels only run several independent dot products, or several
// independent gradient entries, side by side in the lanes of a vector. So the results are the same
// bit for bit with any instruction set (portable, AVX2, AVX-512), on any machine.
#ifndef AUTOGRAD_KERNELS_H
#define AUTOGRAD_KERNELS_H

#ifdef __cplusplus
extern "C" {
#endif

/// The instruction sets the kernels are built for.
enum {
    BAIFS_KERNELS_PORTABLE = 0,
    BAIFS_KERNELS_AVX2 = 1,
    BAIFS_KERNELS_AVX512 = 2,
};

/// The instruction set in use: the best this processor supports, unless set otherwise.
int baifs_kernels_level(void);
/// Uses `level`, or the best supported below it; returns the level now in use.
int baifs_kernels_set_level(int level);
/// The name of a level ("portable", "avx2", "avx512").
const char *baifs_kernels_level_name(int level);

/// y[n·O + o] = (Σ_{i<I} x[n·I + i]·w[o·I + i]) + b[o], summed in order of i, the bias (if `b` is
/// not NULL) added last.
void baifs_linear_forward(const double *x, const double *w, const double *b, double *y,
                          long batch, long inputs, long outputs);

/// The backward pass of `baifs_linear_forward` given the outputs' gradients `gy` ([batch, outputs]):
/// for n from last to first, o from last to first, with g = gy[n·O + o] ≠ 0:
/// gx[n·I + i] += g·w[o·I + i] and gw[o·I + i] += g·x[n·I + i] for every i, then gb[o] += g.
/// `gx` and `gb` may be NULL (not wanted).
void baifs_linear_backward(const double *gy, const double *x, const double *w,
                           double *gx, double *gw, double *gb, long batch, long inputs, long outputs);

/// A stride-1 convolution: input [N, C, H, W], weight [O, C, K, K], bias [O] (or NULL), output
/// [N, O, OH, OW] with OH = H + 2P − K + 1, OW = W + 2P − K + 1:
/// y[n, o, r, j] = (Σ_{c, u, v} w[o, c, u, v]·x[n, c, r + u − P, j + v − P]) + b[o], summed in order
/// of c, u, v over the terms inside the input (the padding contributes no term).
/// Requires finite weights (zero padding stands in for missing terms); returns 0 and does nothing
/// otherwise, 1 when done.
int baifs_conv_forward(const double *x, const double *w, const double *b, double *y,
                       long batch, long channels, long height, long width, long outputs,
                       long kernel, long padding);

/// The backward pass of `baifs_conv_forward` given the outputs' gradients `gy`, node by node in
/// reverse order (n, o, r, j descending), skipping zero gradients: each node adds g·x to the weight
/// gradients of its terms, g·w to the input gradients of its terms, and g to gb[o].
/// `gx` and `gb` may be NULL. Requires finite weights, inputs and `gy`; returns 0 and does nothing
/// otherwise, 1 when done.
int baifs_conv_backward(const double *gy, const double *x, const double *w,
                        double *gx, double *gw, double *gb,
                        long batch, long channels, long height, long width, long outputs,
                        long kernel, long padding);

/// y[i] = x[i] > 0 ? x[i] : 0.
void baifs_relu_forward(const double *x, double *y, long count);
/// gx[i] += x[i] > 0 ? gy[i] : 0 (adding +0 changes no gradient: gradients are never −0).
void baifs_relu_backward(const double *x, const double *gy, double *gx, long count);
/// y[i] = a[i] + b[i].
void baifs_add_forward(const double *a, const double *b, double *y, long count);
/// ga[i] += gy[i], then gb[i] += gy[i] (`ga` and `gb` the same array or not overlapping).
void baifs_add_backward(const double *gy, double *ga, double *gb, long count);
/// gx[i] += gy[i] ≠ 0 ? gy[i]·(1 − y[i]·y[i]) : 0, for y = tanh x.
void baifs_tanh_backward(const double *y, const double *gy, double *gx, long count);

#ifdef __cplusplus
}
#endif

#endif
