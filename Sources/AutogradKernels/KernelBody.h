// The kernels, written once over 8-lane vectors of doubles and compiled by Kernels.c once per
// instruction set (KERNEL(name) gives each copy its own name). Each lane carries one dot product or
// one gradient entry through its own sequence of IEEE additions and multiplications, so the copies
// agree bit for bit. Contraction into fused multiply-adds is off for the whole file (Kernels.c).

// MARK: - Linear

static void KERNEL(linear_forward)(const double *x, const double *w, const double *b, double *y,
                                   long batch, long inputs, long outputs) {
    // Eight samples per vector, one per lane: the inputs transposed to xt[block][i][lane] (zero
    // lanes pad a short last block and are never stored). Four blocks (32 samples) share each
    // pass over the weights, which are then read once per 32 samples rather than once per 8.
    long blocks = (batch + 7) / 8;
    double *xt = scratch_doubles(0, (size_t)(blocks * inputs * 8));
    for (long block = 0; block < blocks; block++) {
        long first = block * 8, lanes = batch - first < 8 ? batch - first : 8;
        double *xb = xt + block * inputs * 8;
        for (long lane = 0; lane < 8; lane++) {
            const double *row = x + (first + (lane < lanes ? lane : 0)) * inputs;
            for (long i = 0; i < inputs; i++) xb[i * 8 + lane] = lane < lanes ? row[i] : 0.0;
        }
    }
    long block = 0;
    for (; block + 4 <= blocks; block += 4) {
        const double *x0 = xt + block * inputs * 8, *x1 = x0 + inputs * 8, *x2 = x1 + inputs * 8, *x3 = x2 + inputs * 8;
        long o = 0;
        for (; o + 4 <= outputs; o += 4) {
            const double *w0 = w + o * inputs, *w1 = w0 + inputs, *w2 = w1 + inputs, *w3 = w2 + inputs;
            v8d s[4][4];
            for (int r = 0; r < 4; r++) for (int q = 0; q < 4; q++) s[r][q] = SPLAT(0);
            for (long i = 0; i < inputs; i++) {
                v8d a = LOAD(x0 + i * 8), c = LOAD(x1 + i * 8), d = LOAD(x2 + i * 8), e = LOAD(x3 + i * 8);
                v8d k0 = SPLAT(w0[i]), k1 = SPLAT(w1[i]), k2 = SPLAT(w2[i]), k3 = SPLAT(w3[i]);
                s[0][0] = s[0][0] + a * k0; s[0][1] = s[0][1] + c * k0; s[0][2] = s[0][2] + d * k0; s[0][3] = s[0][3] + e * k0;
                s[1][0] = s[1][0] + a * k1; s[1][1] = s[1][1] + c * k1; s[1][2] = s[1][2] + d * k1; s[1][3] = s[1][3] + e * k1;
                s[2][0] = s[2][0] + a * k2; s[2][1] = s[2][1] + c * k2; s[2][2] = s[2][2] + d * k2; s[2][3] = s[2][3] + e * k2;
                s[3][0] = s[3][0] + a * k3; s[3][1] = s[3][1] + c * k3; s[3][2] = s[3][2] + d * k3; s[3][3] = s[3][3] + e * k3;
            }
            for (int q = 0; q < 4; q++) {
                long first = (block + q) * 8, lanes = batch - first < 8 ? batch - first : 8;
                for (long lane = 0; lane < lanes; lane++) {
                    double *out = y + (first + lane) * outputs + o;
                    for (int r = 0; r < 4; r++) out[r] = b ? s[r][q][lane] + b[o + r] : s[r][q][lane];
                }
            }
        }
        for (; o < outputs; o++) {
            const double *w0 = w + o * inputs;
            v8d s0 = SPLAT(0), s1 = s0, s2 = s0, s3 = s0;
            for (long i = 0; i < inputs; i++) {
                v8d k0 = SPLAT(w0[i]);
                s0 = s0 + LOAD(x0 + i * 8) * k0; s1 = s1 + LOAD(x1 + i * 8) * k0;
                s2 = s2 + LOAD(x2 + i * 8) * k0; s3 = s3 + LOAD(x3 + i * 8) * k0;
            }
            v8d sums[4] = {s0, s1, s2, s3};
            for (int q = 0; q < 4; q++) {
                long first = (block + q) * 8, lanes = batch - first < 8 ? batch - first : 8;
                for (long lane = 0; lane < lanes; lane++) y[(first + lane) * outputs + o] = b ? sums[q][lane] + b[o] : sums[q][lane];
            }
        }
    }
    for (; block < blocks; block++) {
        long first = block * 8, lanes = batch - first < 8 ? batch - first : 8;
        const double *xb = xt + block * inputs * 8;
        long o = 0;
        for (; o + 4 <= outputs; o += 4) {
            const double *w0 = w + o * inputs, *w1 = w0 + inputs, *w2 = w1 + inputs, *w3 = w2 + inputs;
            v8d a0 = SPLAT(0), a1 = a0, a2 = a0, a3 = a0;
            for (long i = 0; i < inputs; i++) {
                v8d xv = LOAD(xb + i * 8);
                a0 = a0 + xv * SPLAT(w0[i]);
                a1 = a1 + xv * SPLAT(w1[i]);
                a2 = a2 + xv * SPLAT(w2[i]);
                a3 = a3 + xv * SPLAT(w3[i]);
            }
            for (long lane = 0; lane < lanes; lane++) {
                double *out = y + (first + lane) * outputs + o;
                out[0] = b ? a0[lane] + b[o] : a0[lane];
                out[1] = b ? a1[lane] + b[o + 1] : a1[lane];
                out[2] = b ? a2[lane] + b[o + 2] : a2[lane];
                out[3] = b ? a3[lane] + b[o + 3] : a3[lane];
            }
        }
        for (; o < outputs; o++) {
            const double *w0 = w + o * inputs;
            v8d a0 = SPLAT(0);
            for (long i = 0; i < inputs; i++) a0 = a0 + LOAD(xb + i * 8) * SPLAT(w0[i]);
            for (long lane = 0; lane < lanes; lane++) y[(first + lane) * outputs + o] = b ? a0[lane] + b[o] : a0[lane];
        }
    }
}

/// target[i] += g_k·rows[r_k·stride + i] for the listed rows r_k in order (g_k = gradients[r_k·step]),
/// for columns `first ..< end`: one entry of `target` per lane, its sum in list order.
static inline __attribute__((always_inline)) void KERNEL(accumulate_rows)(double *target, const double *rows, long stride,
                                                                          const long *list, const double *gradients, long step,
                                                                          long first, long end) {
    long i = first;
    for (; i + 64 <= end; i += 64) {
        v8d a0 = LOAD(target + i), a1 = LOAD(target + i + 8), a2 = LOAD(target + i + 16), a3 = LOAD(target + i + 24);
        v8d a4 = LOAD(target + i + 32), a5 = LOAD(target + i + 40), a6 = LOAD(target + i + 48), a7 = LOAD(target + i + 56);
        long count = list[0];
        for (long k = 0; k < count; k++) {
            long r = list[1 + k];
            // The rows come in the list's order, which no prefetcher guesses: fetch the one after next.
            if (k + 2 < count) {
                const char *ahead = (const char *)(rows + list[3 + k] * stride + i);
                for (int line = 0; line < 512; line += 64) __builtin_prefetch(ahead + line);
            }
            v8d g = SPLAT(gradients[r * step]);
            const double *row = rows + r * stride + i;
            a0 = a0 + g * LOAD(row); a1 = a1 + g * LOAD(row + 8); a2 = a2 + g * LOAD(row + 16); a3 = a3 + g * LOAD(row + 24);
            a4 = a4 + g * LOAD(row + 32); a5 = a5 + g * LOAD(row + 40); a6 = a6 + g * LOAD(row + 48); a7 = a7 + g * LOAD(row + 56);
        }
        STORE(target + i, a0); STORE(target + i + 8, a1); STORE(target + i + 16, a2); STORE(target + i + 24, a3);
        STORE(target + i + 32, a4); STORE(target + i + 40, a5); STORE(target + i + 48, a6); STORE(target + i + 56, a7);
    }
    for (; i + 8 <= end; i += 8) {
        v8d a0 = LOAD(target + i);
        for (long k = 0; k < list[0]; k++) {
            long r = list[1 + k];
            a0 = a0 + SPLAT(gradients[r * step]) * LOAD(rows + r * stride + i);
        }
        STORE(target + i, a0);
    }
    for (; i < end; i++) {
        double a0 = target[i];
        for (long k = 0; k < list[0]; k++) {
            long r = list[1 + k];
            a0 = a0 + gradients[r * step] * rows[r * stride + i];
        }
        target[i] = a0;
    }
}

/// gx[n, i] += Σ_o (o from last to first) gy[n, o]·w[o, i], eight samples per vector: into a
/// transposed copy, written back only if every weight read was finite (returns 1), else 0.
static int KERNEL(linear_input_gradients)(const double *gy, const double *w, double *gx,
                                          long batch, long inputs, long outputs) {
    long blocks = (batch + 7) / 8;
    double *gt = scratch_doubles(1, (size_t)(blocks * outputs * 8));
    double *sums = scratch_doubles(2, (size_t)(blocks * inputs * 8));
    for (long block = 0; block < blocks; block++)
        for (long lane = 0; lane < 8; lane++) {
            long n = block * 8 + lane;
            for (long o = 0; o < outputs; o++) gt[(block * outputs + o) * 8 + lane] = n < batch ? gy[n * outputs + o] : 0.0;
            for (long i = 0; i < inputs; i++) sums[(block * inputs + i) * 8 + lane] = n < batch ? gx[n * inputs + i] : 0.0;
        }
    v8d check = SPLAT(0);
    long block = 0;
    for (; block + 4 <= blocks; block += 4) {
        const double *g0 = gt + block * outputs * 8, *g1 = g0 + outputs * 8, *g2 = g1 + outputs * 8, *g3 = g2 + outputs * 8;
        long i = 0;
        for (; i + 4 <= inputs; i += 4) {
            v8d s[4][4];
            for (int c = 0; c < 4; c++)
                for (int q = 0; q < 4; q++) s[c][q] = LOAD(sums + ((block + q) * inputs + i + c) * 8);
            for (long o = outputs - 1; o >= 0; o--) {
                v8d a = LOAD(g0 + o * 8), c1 = LOAD(g1 + o * 8), d = LOAD(g2 + o * 8), e = LOAD(g3 + o * 8);
                const double *row = w + o * inputs + i;
                v8d k0 = SPLAT(row[0]), k1 = SPLAT(row[1]), k2 = SPLAT(row[2]), k3 = SPLAT(row[3]);
                check = check + ((k0 - k0) + (k1 - k1)) + ((k2 - k2) + (k3 - k3));
                s[0][0] = s[0][0] + a * k0; s[0][1] = s[0][1] + c1 * k0; s[0][2] = s[0][2] + d * k0; s[0][3] = s[0][3] + e * k0;
                s[1][0] = s[1][0] + a * k1; s[1][1] = s[1][1] + c1 * k1; s[1][2] = s[1][2] + d * k1; s[1][3] = s[1][3] + e * k1;
                s[2][0] = s[2][0] + a * k2; s[2][1] = s[2][1] + c1 * k2; s[2][2] = s[2][2] + d * k2; s[2][3] = s[2][3] + e * k2;
                s[3][0] = s[3][0] + a * k3; s[3][1] = s[3][1] + c1 * k3; s[3][2] = s[3][2] + d * k3; s[3][3] = s[3][3] + e * k3;
            }
            for (int c = 0; c < 4; c++)
                for (int q = 0; q < 4; q++) STORE(sums + ((block + q) * inputs + i + c) * 8, s[c][q]);
        }
        for (; i < inputs; i++)
            for (int q = 0; q < 4; q++) {
                const double *gq = gt + (block + q) * outputs * 8;
                v8d acc = LOAD(sums + ((block + q) * inputs + i) * 8);
                for (long o = outputs - 1; o >= 0; o--) {
                    v8d k = SPLAT(w[o * inputs + i]);
                    check = check + (k - k);
                    acc = acc + LOAD(gq + o * 8) * k;
                }
                STORE(sums + ((block + q) * inputs + i) * 8, acc);
            }
    }
    for (; block < blocks; block++) {
        const double *gq = gt + block * outputs * 8;
        for (long i = 0; i < inputs; i++) {
            v8d acc = LOAD(sums + (block * inputs + i) * 8);
            for (long o = outputs - 1; o >= 0; o--) {
                v8d k = SPLAT(w[o * inputs + i]);
                check = check + (k - k);
                acc = acc + LOAD(gq + o * 8) * k;
            }
            STORE(sums + (block * inputs + i) * 8, acc);
        }
    }
    for (int lane = 0; lane < 8; lane++) if (check[lane] != 0) return 0;
    for (long n = 0; n < batch; n++)
        for (long i = 0; i < inputs; i++) gx[n * inputs + i] = sums[((n / 8) * inputs + i) * 8 + n % 8];
    return 1;
}

static void KERNEL(linear_backward)(const double *gy, const double *x, const double *w,
                                    double *gx, double *gw, double *gb, long batch, long inputs, long outputs) {
    // Which nodes pass a gradient: per output o, the samples n (last first) with gy[n, o] ≠ 0, and
    // per sample n, the outputs o (last first). Visiting only these in those orders gives every
    // gradient entry its contributions in reverse node order.
    long *byOutput = scratch_longs(0, (size_t)(outputs * (batch + 1)));
    long *bySample = scratch_longs(1, (size_t)(batch * (outputs + 1)));
    for (long o = 0; o < outputs; o++) {
        long *list = byOutput + o * (batch + 1), count = 0;
        // Without a branch: on ReLU data half the gradients are zero, at random.
        for (long n = batch - 1; n >= 0; n--) {
            list[1 + count] = n;
            count += gy[n * outputs + o] != 0;
        }
        list[0] = count;
    }
    for (long n = 0; n < batch; n++) {
        long *list = bySample + n * (outputs + 1), count = 0;
        for (long o = outputs - 1; o >= 0; o--) {
            list[1 + count] = o;
            count += gy[n * outputs + o] != 0;
        }
        list[0] = count;
    }
    if (gb) {
        for (long o = 0; o < outputs; o++) {
            const long *list = byOutput + o * (batch + 1);
            for (long k = 0; k < list[0]; k++) gb[o] = gb[o] + gy[list[1 + k] * outputs + o];
        }
    }
    // Input gradients of 32 samples or more, one sample per lane (as the forward pass): every
    // output in order, a zero g adding g·w = ±0, which leaves a sum unchanged (sums are never −0)
    // when w is finite. A non-finite weight is noticed on the way (w − w is then NaN), and the
    // result thrown away for the list-driven loop below, which skips zero gradients.
    int denseInputs = gx && batch >= 32 && KERNEL(linear_input_gradients)(gy, w, gx, batch, inputs, outputs);
    // Weight gradients gw[o, i] += g·x[n, i] over each output's samples in order, and input
    // gradients gx[n, i] += g·w[o, i] over each sample's outputs in order. Columns go in stretches
    // of 128 (the samples' inputs there stay in the first-level cache), 64 at a time per row.
    for (long first = 0; first < inputs; first += 128) {
        long end = first + 128 < inputs ? first + 128 : inputs;
        for (long o = 0; o < outputs; o++) {
            const long *list = byOutput + o * (batch + 1);
            if (list[0] == 0) continue;
            KERNEL(accumulate_rows)(gw + o * inputs, x, inputs, list, gy + o, outputs, first, end);
        }
        if (!gx || denseInputs) continue;
        for (long n = 0; n < batch; n++) {
            const long *list = bySample + n * (outputs + 1);
            if (list[0] == 0) continue;
            KERNEL(accumulate_rows)(gx + n * inputs, w, inputs, list, gy + n * outputs, 1, first, end);
        }
    }
}

// MARK: - Convolution (stride 1)

/// Copies sample planes [C, H, W] into zero-padded planes [C, rows, stride] at offset (top, left).
static inline __attribute__((always_inline)) void KERNEL(pad)(double *padded, const double *planes, long count,
                                                              long height, long width, long rows, long stride,
                                                              long top, long left) {
    __builtin_memset(padded, 0, sizeof(double) * (size_t)(count * rows * stride));
    for (long c = 0; c < count; c++)
        for (long y = 0; y < height; y++)
            __builtin_memcpy(padded + (c * rows + y + top) * stride + left, planes + (c * height + y) * width,
                             sizeof(double) * (size_t)width);
}

static void KERNEL(conv_forward)(const double *x, const double *w, const double *b, double *y,
                                 long batch, long channels, long height, long width, long outputs,
                                 long kernel, long padding) {
    long outHeight = height + 2 * padding - kernel + 1, outWidth = width + 2 * padding - kernel + 1;
    long blocks = (outWidth + 7) / 8;
    // Input planes with `padding` zero rows above and below and zero columns left and right, wide
    // enough for every 8-column load. Eight output columns at a time, one per lane.
    long rows = height + 2 * padding, stride = blocks * 8 + kernel;
    long terms = channels * kernel * kernel;
    double *padded = scratch_doubles(0, (size_t)(channels * rows * stride));
    for (long n = 0; n < batch; n++) {
        KERNEL(pad)(padded, x + n * channels * height * width, channels, height, width, rows, stride, padding, padding);
        for (long o = 0; o < outputs; o += 4) {
            long count = outputs - o < 4 ? outputs - o : 4;
            for (long r = 0; r < outHeight; r++) {
                // Kernel rows inside the input: the others are not terms.
                long uFirst = padding - r > 0 ? padding - r : 0;
                long uEnd = height + padding - r < kernel ? height + padding - r : kernel;
                for (long block = 0; block < blocks; block++) {
                    long j0 = block * 8;
                    v8d a0 = SPLAT(0), a1 = a0, a2 = a0, a3 = a0;
                    for (long c = 0; c < channels; c++) {
                        for (long u = uFirst; u < uEnd; u++) {
                            const double *in = padded + (c * rows + r + u) * stride + j0;
                            const double *kw = w + o * terms + (c * kernel + u) * kernel;
                            for (long v = 0; v < kernel; v++) {
                                v8d xv = LOAD(in + v);
                                a0 = a0 + SPLAT(kw[v]) * xv;
                                if (count > 1) a1 = a1 + SPLAT(kw[terms + v]) * xv;
                                if (count > 2) a2 = a2 + SPLAT(kw[2 * terms + v]) * xv;
                                if (count > 3) a3 = a3 + SPLAT(kw[3 * terms + v]) * xv;
                            }
                        }
                    }
                    long lanes = outWidth - j0 < 8 ? outWidth - j0 : 8;
                    v8d sums[4] = {a0, a1, a2, a3};
                    for (long q = 0; q < count; q++) {
                        double *out = y + ((n * outputs + o + q) * outHeight + r) * outWidth + j0;
                        for (long lane = 0; lane < lanes; lane++) out[lane] = b ? sums[q][lane] + b[o + q] : sums[q][lane];
                    }
                }
            }
        }
    }
}

static void KERNEL(conv_backward)(const double *gy, const double *x, const double *w,
                                  double *gx, double *gw, double *gb,
                                  long batch, long channels, long height, long width, long outputs,
                                  long kernel, long padding) {
    long outHeight = height + 2 * padding - kernel + 1, outWidth = width + 2 * padding - kernel + 1;
    long plane = outHeight * outWidth;
    long terms = channels * kernel * kernel;
    if (gb) {
        // Each bias in node order; the outputs side by side so that their sums overlap in time.
        // Adding 0 where a node's gradient is 0 leaves a sum unchanged, as skipping it does.
        double *sums = scratch_doubles(0, (size_t)outputs);
        for (long o = 0; o < outputs; o++) sums[o] = gb[o];
        for (long n = batch - 1; n >= 0; n--)
            for (long p = plane - 1; p >= 0; p--)
                for (long o = 0; o < outputs; o++) {
                    double g = gy[(n * outputs + o) * plane + p];
                    sums[o] = sums[o] + (g != 0 ? g : 0.0);
                }
        for (long o = 0; o < outputs; o++) gb[o] = sums[o];
    }
    // Weight gradients, eight output channels at a time, one per lane: gw[o, t] += g[o, r, j]·x(t, r, j)
    // for the nodes in reverse order (n, r, j descending). For each output row, the inputs under
    // tap t = (c, u, v) are copied to taps[t][j] (zero where the window is in the padding) and the
    // output gradients to rows[j][o]. A zero g or a padding zero adds g·0 = ±0, which leaves a sum
    // unchanged (sums are never −0) as long as g and x are finite; the caller checks that.
    {
        long blocks = (outWidth + 7) / 8;
        long rows = height + 2 * padding, stride = blocks * 8 + kernel;
        long lanes = (outputs + 7) / 8 * 8, tapBlocks = (terms + 7) / 8;
        double *padded = scratch_doubles(0, (size_t)(channels * rows * stride));
        double *taps = scratch_doubles(1, (size_t)(tapBlocks * 8 * outWidth));
        double *sums = scratch_doubles(2, (size_t)(tapBlocks * 8 * lanes + outWidth * lanes));
        double *gradientRows = sums + tapBlocks * 8 * lanes;
        for (long t = 0; t < tapBlocks * 8; t++)
            for (long o = 0; o < lanes; o++) sums[t * lanes + o] = t < terms && o < outputs ? gw[o * terms + t] : 0.0;
        for (long t = terms; t < tapBlocks * 8; t++)
            for (long j = 0; j < outWidth; j++) taps[t * outWidth + j] = 0.0;
        for (long n = batch - 1; n >= 0; n--) {
            KERNEL(pad)(padded, x + n * channels * height * width, channels, height, width, rows, stride, padding, padding);
            for (long r = outHeight - 1; r >= 0; r--) {
                for (long c = 0; c < channels; c++)
                    for (long u = 0; u < kernel; u++)
                        for (long v = 0; v < kernel; v++)
                            __builtin_memcpy(taps + ((c * kernel + u) * kernel + v) * outWidth,
                                             padded + (c * rows + r + u) * stride + v, sizeof(double) * (size_t)outWidth);
                for (long j = 0; j < outWidth; j++)
                    for (long o = 0; o < lanes; o++)
                        gradientRows[j * lanes + o] = o < outputs ? gy[((n * outputs + o) * outHeight + r) * outWidth + j] : 0.0;
                for (long tb = 0; tb < tapBlocks; tb++) {
                    const double *tap = taps + tb * 8 * outWidth;
                    for (long ob = 0; ob < lanes; ob += 8) {
                        double *sum = sums + tb * 8 * lanes + ob;
                        v8d a0 = LOAD(sum), a1 = LOAD(sum + lanes), a2 = LOAD(sum + 2 * lanes), a3 = LOAD(sum + 3 * lanes);
                        v8d a4 = LOAD(sum + 4 * lanes), a5 = LOAD(sum + 5 * lanes), a6 = LOAD(sum + 6 * lanes), a7 = LOAD(sum + 7 * lanes);
                        for (long j = outWidth - 1; j >= 0; j--) {
                            v8d g = LOAD(gradientRows + j * lanes + ob);
                            a0 = a0 + g * SPLAT(tap[j]);
                            a1 = a1 + g * SPLAT(tap[outWidth + j]);
                            a2 = a2 + g * SPLAT(tap[2 * outWidth + j]);
                            a3 = a3 + g * SPLAT(tap[3 * outWidth + j]);
                            a4 = a4 + g * SPLAT(tap[4 * outWidth + j]);
                            a5 = a5 + g * SPLAT(tap[5 * outWidth + j]);
                            a6 = a6 + g * SPLAT(tap[6 * outWidth + j]);
                            a7 = a7 + g * SPLAT(tap[7 * outWidth + j]);
                        }
                        STORE(sum, a0); STORE(sum + lanes, a1); STORE(sum + 2 * lanes, a2); STORE(sum + 3 * lanes, a3);
                        STORE(sum + 4 * lanes, a4); STORE(sum + 5 * lanes, a5); STORE(sum + 6 * lanes, a6); STORE(sum + 7 * lanes, a7);
                    }
                }
            }
        }
        for (long o = 0; o < outputs; o++)
            for (long t = 0; t < terms; t++) gw[o * terms + t] = sums[t * lanes + o];
    }
    if (!gx) return;
    // Input gradients, eight input columns at a time: gx[c, y, x] receives g[o, y − u + P, x − v + P]·w[o, c, u, v]
    // for o descending, u and v ascending (reverse node order). The output gradients are padded with
    // zeros so that positions outside the output add g = 0 (nothing, for finite weights).
    {
        long blocks = (width + 7) / 8;
        long top = kernel - 1, left = kernel - 1;
        long rows = outHeight + 2 * (kernel - 1) + height, stride = blocks * 8 + 2 * kernel + padding + outWidth;
        double *gradients = scratch_doubles(0, (size_t)(outputs * rows * stride));
        double *inputs = scratch_doubles(1, (size_t)(channels * height * blocks * 8));
        for (long n = 0; n < batch; n++) {
            KERNEL(pad)(gradients, gy + n * outputs * plane, outputs, outHeight, outWidth, rows, stride, top, left);
            double *sample = gx + n * channels * height * width;
            for (long c = 0; c < channels; c++)
                for (long yy = 0; yy < height; yy++)
                    for (long xx = 0; xx < blocks * 8; xx++)
                        inputs[(c * height + yy) * blocks * 8 + xx] = xx < width ? sample[(c * height + yy) * width + xx] : 0.0;
            for (long c = 0; c < channels; c += 4) {
                long count = channels - c < 4 ? channels - c : 4;
                for (long yy = 0; yy < height; yy++) {
                    for (long block = 0; block < blocks; block++) {
                        long x0 = block * 8;
                        double *acc = inputs + (c * height + yy) * blocks * 8 + x0;
                        long planeStride = height * blocks * 8;
                        v8d a0 = LOAD(acc);
                        v8d a1 = count > 1 ? LOAD(acc + planeStride) : a0;
                        v8d a2 = count > 2 ? LOAD(acc + 2 * planeStride) : a0;
                        v8d a3 = count > 3 ? LOAD(acc + 3 * planeStride) : a0;
                        for (long o = outputs - 1; o >= 0; o--) {
                            for (long u = 0; u < kernel; u++) {
                                const double *grow = gradients + (o * rows + yy - u + padding + top) * stride + x0 + padding + left;
                                const double *kw = w + ((o * channels + c) * kernel + u) * kernel;
                                for (long v = 0; v < kernel; v++) {
                                    v8d gv = LOAD(grow - v);
                                    a0 = a0 + gv * SPLAT(kw[v]);
                                    if (count > 1) a1 = a1 + gv * SPLAT(kw[kernel * kernel + v]);
                                    if (count > 2) a2 = a2 + gv * SPLAT(kw[2 * kernel * kernel + v]);
                                    if (count > 3) a3 = a3 + gv * SPLAT(kw[3 * kernel * kernel + v]);
                                }
                            }
                        }
                        STORE(acc, a0);
                        if (count > 1) STORE(acc + planeStride, a1);
                        if (count > 2) STORE(acc + 2 * planeStride, a2);
                        if (count > 3) STORE(acc + 3 * planeStride, a3);
                    }
                }
            }
            for (long c = 0; c < channels; c++)
                for (long yy = 0; yy < height; yy++)
                    for (long xx = 0; xx < width; xx++)
                        sample[(c * height + yy) * width + xx] = inputs[(c * height + yy) * blocks * 8 + xx];
        }
    }
}

// MARK: - Elementwise

static void KERNEL(relu_forward)(const double *x, double *y, long count) {
    for (long i = 0; i < count; i++) y[i] = x[i] > 0 ? x[i] : 0.0;
}

static void KERNEL(relu_backward)(const double *x, const double *gy, double *gx, long count) {
    for (long i = 0; i < count; i++) gx[i] = gx[i] + (x[i] > 0 ? gy[i] : 0.0);
}

static void KERNEL(add_forward)(const double *a, const double *b, double *y, long count) {
    for (long i = 0; i < count; i++) y[i] = a[i] + b[i];
}

static void KERNEL(add_backward)(const double *gy, double *ga, double *gb, long count) {
    for (long i = 0; i < count; i++) {
        double g = gy[i];
        ga[i] = ga[i] + g;
        gb[i] = gb[i] + g;
    }
}

static void KERNEL(tanh_backward)(const double *y, const double *gy, double *gx, long count) {
    for (long i = 0; i < count; i++) {
        double g = gy[i], slope = 1.0 - y[i] * y[i];
        gx[i] = gx[i] + (g != 0 ? g * slope : 0.0);
    }
}
