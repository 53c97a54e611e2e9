// The device-neutral kernel API. Layers call only these; the CPU implementation
// (Eigen + OpenMP) lives in kernels/cpu/ and is the reference a CUDA one will be tested
// against, op by op.
//
// Matrices are row-major (rows = samples). "Accumulate" means += into the output.
#pragma once
#include <cstdint>

#include "core/tensor.hpp"
#include "kernels/activation_kind.hpp"

namespace axon::kernels {

// C = alpha * op(A) * op(B) + beta * C, op = transpose when the flag is set.
template <class T>
void matmul(ConstMatMap<T> a, bool transpose_a, ConstMatMap<T> b, bool transpose_b, MatMap<T> c,
            T alpha = T(1), T beta = T(0));

// y(r, :) += bias for every row r.
template <class T>
void add_row_vector(MatMap<T> y, const T* bias);

// db += column sums of dz.
template <class T>
void column_sums_accumulate(ConstMatMap<T> dz, T* db);

// y = f(z) over n input values; y may alias z except for glu (whose output is half as long).
// Axis-wise kinds run over `span` (see activation_span); others ignore it.
template <class T>
void activation_forward(const ActivationSpec& f, const T* z, T* y, int64_t n, AxisSpan span);

// e = exp(z - max of its group), for softmax and the fused softmax cross-entropy.
template <class T>
void shifted_exp(const T* z, T* e, int64_t n, int64_t group);

// dz = dy * f'(z) over n input values. z may be null when !activation_needs_input(f); y is
// the forward output. dz may alias dy except for glu.
template <class T>
void activation_backward(const ActivationSpec& f, const T* z, const T* y, const T* dy, T* dz, int64_t n,
                         AxisSpan span);

// Inverted dropout: y = x * mask / (1 - rate), mask ~ Bernoulli(1 - rate) keyed by
// (seed, step, element). Backward regenerates the same mask instead of storing it.
template <class T>
void dropout_apply(uint64_t seed, uint64_t step, double rate, const T* x, T* y, int64_t n);

// dst row i = src row index[i] (gathers a batch from the user's dataset without copying it).
template <class T>
void gather_rows(const T* src, int64_t cols, const int64_t* index, int64_t rows, T* dst);

}  // namespace axon::kernels
