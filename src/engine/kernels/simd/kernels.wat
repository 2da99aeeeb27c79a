;; The lab's own wasm-backend kernels, in WebAssembly SIMD (128-bit: four float32 lanes), run on tfjs-wasm's heap.
;; Compiled by scripts/buildWasm.ts (wabt, at npm install) into kernels.wasm.ts; loaded by simdKernels.ts, which
;; imports tfjs-wasm's own memory so that every pointer below is a tensor's memoryOffset (bytes).
;; MEMORY is replaced by the build: plain for tfjs's single-threaded builds, shared for its threaded build.
;;
;; Row-major float32 throughout. Loops run four lanes at a time and finish a row's last (columns mod 4) entries one
;; by one. Arithmetic is float32 with IEEE rounding, so a NaN or ±∞ anywhere spreads as it would in tfjs's kernels.
(module
  (import "env" "memory" MEMORY)

  ;; dst[j] = (bias ? bias[j] : 0) for j < columns.
  (func $fillRow (param $dst i32) (param $bias i32) (param $columns i32)
    (if (i32.eqz (local.get $bias))
      (then (memory.fill (local.get $dst) (i32.const 0) (i32.shl (local.get $columns) (i32.const 2))))
      (else (memory.copy (local.get $dst) (local.get $bias) (i32.shl (local.get $columns) (i32.const 2))))))

  ;; dst[j] += scale · src[j] for j < columns.
  (func $addScaled (param $dst i32) (param $src i32) (param $scale f32) (param $columns i32)
    (local $end i32) (local $vectorEnd i32) (local $scales v128)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $columns) (i32.const 2))))
    (local.set $vectorEnd
      (i32.add (local.get $dst) (i32.shl (i32.and (local.get $columns) (i32.const -4)) (i32.const 2))))
    (local.set $scales (f32x4.splat (local.get $scale)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $dst) (local.get $vectorEnd)))
        (v128.store (local.get $dst)
          (f32x4.add (v128.load (local.get $dst)) (f32x4.mul (local.get $scales) (v128.load (local.get $src)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst)
          (f32.add (f32.load (local.get $dst)) (f32.mul (local.get $scale) (f32.load (local.get $src)))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $tail))))

  ;; dst[j] += scale · (gate[j] > 0 ? src[j] : 0) for j < columns: a gradient through ReLU, whose output is gate.
  (func $addScaledGated (param $dst i32) (param $src i32) (param $gate i32) (param $scale f32) (param $columns i32)
    (local $end i32) (local $vectorEnd i32) (local $scales v128)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $columns) (i32.const 2))))
    (local.set $vectorEnd
      (i32.add (local.get $dst) (i32.shl (i32.and (local.get $columns) (i32.const -4)) (i32.const 2))))
    (local.set $scales (f32x4.splat (local.get $scale)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $dst) (local.get $vectorEnd)))
        (v128.store (local.get $dst)
          (f32x4.add
            (v128.load (local.get $dst))
            (f32x4.mul
              (local.get $scales)
              (v128.and
                (v128.load (local.get $src))
                (f32x4.gt (v128.load (local.get $gate)) (f32x4.splat (f32.const 0)))))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $gate (i32.add (local.get $gate) (i32.const 16)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $dst) (local.get $end)))
        (if (f32.gt (f32.load (local.get $gate)) (f32.const 0))
          (then
            (f32.store (local.get $dst)
              (f32.add (f32.load (local.get $dst)) (f32.mul (local.get $scale) (f32.load (local.get $src)))))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $gate (i32.add (local.get $gate) (i32.const 4)))
        (br $tail))))

  ;; dst[j] = max(dst[j], 0) for j < columns (NaN stays NaN).
  (func $reluRow (param $dst i32) (param $columns i32)
    (local $end i32) (local $vectorEnd i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $columns) (i32.const 2))))
    (local.set $vectorEnd
      (i32.add (local.get $dst) (i32.shl (i32.and (local.get $columns) (i32.const -4)) (i32.const 2))))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $dst) (local.get $vectorEnd)))
        (v128.store (local.get $dst) (f32x4.max (v128.load (local.get $dst)) (f32x4.splat (f32.const 0))))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $dst) (local.get $end)))
        (f32.store (local.get $dst) (f32.max (f32.load (local.get $dst)) (f32.const 0)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
        (br $tail))))

  ;; x[at] as float32; x is int32 (the one-hot data as the tasks make it) when $xInt is nonzero.
  (func $entry (param $x i32) (param $xInt i32) (param $at i32) (result f32)
    (local $address i32)
    (local.set $address (i32.add (local.get $x) (i32.shl (local.get $at) (i32.const 2))))
    (if (result f32) (local.get $xInt)
      (then (f32.convert_i32_s (i32.load (local.get $address))))
      (else (f32.load (local.get $address)))))

  ;; The first k' ≥ k below inner where the row's entry has a bit set (k' = inner if none), four entries at a time
  ;; while four remain: a one-hot row is mostly zeros. A float −0 has a bit set; callers skip a value of 0.
  (func $nextNonzero (param $xRow i32) (param $k i32) (param $inner i32) (result i32)
    (block $found
      (loop $scan
        (br_if $found (i32.ge_u (local.get $k) (local.get $inner)))
        (if (i32.le_u (i32.add (local.get $k) (i32.const 4)) (local.get $inner))
          (then
            (if (i32.eqz (v128.any_true (v128.load (i32.add (local.get $xRow) (i32.shl (local.get $k) (i32.const 2))))))
              (then
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $scan)))))
        (br_if $found (i32.load (i32.add (local.get $xRow) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $scan)))
    (local.get $k))

  ;; out [rows, columns] = relu?(x [rows, inner] · w [inner, columns] + bias?), visiting only x's nonzero entries:
  ;; per row, the bias, then scale · (w's row k) for each nonzero x[r, k], then ReLU. bias 0: none.
  (func (export "rowsProduct")
    (param $x i32) (param $xInt i32) (param $w i32) (param $bias i32)
    (param $rows i32) (param $inner i32) (param $columns i32) (param $relu i32) (param $out i32)
    (local $r i32) (local $k i32) (local $row i32) (local $value f32) (local $rowBytes i32) (local $xRow i32)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (local.set $row (local.get $out))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (call $fillRow (local.get $row) (local.get $bias) (local.get $columns))
        (local.set $xRow (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $inner)) (i32.const 2))))
        (local.set $k (call $nextNonzero (local.get $xRow) (i32.const 0) (local.get $inner)))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_u (local.get $k) (local.get $inner)))
            (local.set $value (call $entry (local.get $xRow) (local.get $xInt) (local.get $k)))
            (if (f32.ne (local.get $value) (f32.const 0))
              (then
                (call $addScaled (local.get $row)
                  (i32.add (local.get $w) (i32.mul (local.get $k) (local.get $rowBytes)))
                  (local.get $value) (local.get $columns))))
            (local.set $k (call $nextNonzero (local.get $xRow) (i32.add (local.get $k) (i32.const 1)) (local.get $inner)))
            (br $entries)))
        (if (local.get $relu) (then (call $reluRow (local.get $row) (local.get $columns))))
        (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; The gradients of rowsProduct with respect to w ([inner, columns] = xᵀ · g) and bias ([columns] = Σ rows of g),
  ;; where g = dy gated by y > 0 when y (the ReLU's output) is given, else dy. y 0: no ReLU; biasGrad 0: no bias.
  (func (export "rowsProductGrad")
    (param $x i32) (param $xInt i32) (param $dy i32) (param $y i32)
    (param $rows i32) (param $inner i32) (param $columns i32) (param $weightGrad i32) (param $biasGrad i32)
    (local $r i32) (local $k i32) (local $value f32) (local $rowBytes i32) (local $dyRow i32) (local $yRow i32)
    (local $xRow i32)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (memory.fill (local.get $weightGrad) (i32.const 0) (i32.mul (local.get $inner) (local.get $rowBytes)))
    (if (local.get $biasGrad) (then (memory.fill (local.get $biasGrad) (i32.const 0) (local.get $rowBytes))))
    (local.set $dyRow (local.get $dy))
    (local.set $yRow (local.get $y))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (if (local.get $biasGrad)
          (then (call $addRow (local.get $biasGrad) (local.get $dyRow) (local.get $yRow)
            (f32.const 1) (local.get $columns))))
        (local.set $xRow (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $inner)) (i32.const 2))))
        (local.set $k (call $nextNonzero (local.get $xRow) (i32.const 0) (local.get $inner)))
        (block $entriesDone
          (loop $entries
            (br_if $entriesDone (i32.ge_u (local.get $k) (local.get $inner)))
            (local.set $value (call $entry (local.get $xRow) (local.get $xInt) (local.get $k)))
            (if (f32.ne (local.get $value) (f32.const 0))
              (then
                (call $addRow
                  (i32.add (local.get $weightGrad) (i32.mul (local.get $k) (local.get $rowBytes)))
                  (local.get $dyRow) (local.get $yRow) (local.get $value) (local.get $columns))))
            (local.set $k (call $nextNonzero (local.get $xRow) (i32.add (local.get $k) (i32.const 1)) (local.get $inner)))
            (br $entries)))
        (local.set $dyRow (i32.add (local.get $dyRow) (local.get $rowBytes)))
        (if (local.get $y) (then (local.set $yRow (i32.add (local.get $yRow) (local.get $rowBytes)))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; dst += scale · g for one row, g = dy gated by y when y is given (nonzero).
  (func $addRow (param $dst i32) (param $dy i32) (param $y i32) (param $scale f32) (param $columns i32)
    (if (local.get $y)
      (then (call $addScaledGated (local.get $dst) (local.get $dy) (local.get $y) (local.get $scale) (local.get $columns)))
      (else (call $addScaled (local.get $dst) (local.get $dy) (local.get $scale) (local.get $columns)))))

  ;; Σ_r (‖h_r‖ − √d)² over the rows of h [rows, d], with ‖h_r‖ = √(Σ h_r² + 1e-12) (metrics/radius.ts: the epsilon
  ;; keeps the gradient finite at h = 0) written to norms [rows]: the radial penalty's forward pass (radial.ts).
  (func (export "radialPenalty") (param $h i32) (param $rows i32) (param $d i32) (param $norms i32) (result f64)
    (local $r i32) (local $at i32) (local $end i32) (local $vectorEnd i32) (local $squares v128) (local $sum f32)
    (local $norm f32) (local $sqrtD f32) (local $total f64) (local $value f32)
    (local.set $sqrtD (f32.sqrt (f32.convert_i32_u (local.get $d))))
    (local.set $at (local.get $h))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $end (i32.add (local.get $at) (i32.shl (local.get $d) (i32.const 2))))
        (local.set $vectorEnd
          (i32.add (local.get $at) (i32.shl (i32.and (local.get $d) (i32.const -4)) (i32.const 2))))
        (local.set $squares (f32x4.splat (f32.const 0)))
        (block $vectorsDone
          (loop $vectors
            (br_if $vectorsDone (i32.ge_u (local.get $at) (local.get $vectorEnd)))
            (local.set $squares
              (f32x4.add (local.get $squares) (f32x4.mul (v128.load (local.get $at)) (v128.load (local.get $at)))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (br $vectors)))
        (local.set $sum
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $squares)) (f32x4.extract_lane 1 (local.get $squares)))
            (f32.add (f32x4.extract_lane 2 (local.get $squares)) (f32x4.extract_lane 3 (local.get $squares)))))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $at) (local.get $end)))
            (local.set $value (f32.load (local.get $at)))
            (local.set $sum (f32.add (local.get $sum) (f32.mul (local.get $value) (local.get $value))))
            (local.set $at (i32.add (local.get $at) (i32.const 4)))
            (br $tail)))
        (local.set $norm (f32.sqrt (f32.add (local.get $sum) (f32.const 1e-12))))
        (f32.store (i32.add (local.get $norms) (i32.shl (local.get $r) (i32.const 2))) (local.get $norm))
        (local.set $total
          (f64.add (local.get $total)
            (f64.mul
              (f64.promote_f32 (f32.sub (local.get $norm) (local.get $sqrtD)))
              (f64.promote_f32 (f32.sub (local.get $norm) (local.get $sqrtD))))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop)))
    (local.get $total))

  ;; dh [rows, d] = scale · (‖h_r‖ − √d)/‖h_r‖ · h_r: the radial penalty's gradient, with scale = dy · 2λ/(d·rows).
  (func (export "radialPenaltyGrad")
    (param $h i32) (param $norms i32) (param $rows i32) (param $d i32) (param $scale f32) (param $dh i32)
    (local $r i32) (local $norm f32) (local $sqrtD f32)
    (local.set $sqrtD (f32.sqrt (f32.convert_i32_u (local.get $d))))
    (memory.fill (local.get $dh) (i32.const 0) (i32.shl (i32.mul (local.get $rows) (local.get $d)) (i32.const 2)))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $norm (f32.load (i32.add (local.get $norms) (i32.shl (local.get $r) (i32.const 2)))))
        (call $addScaled
          (i32.add (local.get $dh) (i32.shl (i32.mul (local.get $r) (local.get $d)) (i32.const 2)))
          (i32.add (local.get $h) (i32.shl (i32.mul (local.get $r) (local.get $d)) (i32.const 2)))
          (f32.div (f32.mul (local.get $scale) (f32.sub (local.get $norm) (local.get $sqrtD))) (local.get $norm))
          (local.get $d))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; e^x in four lanes (Cephes' expf: x = n·ln2 + r, a degree-5 polynomial for e^r, 2^n from the exponent bits;
  ;; relative error ≈ 1e-7). Below −87.3365 the result is exactly 0, as float32's exp underflows (its denormals
  ;; flushed): a softmax saturates as tfjs's does (StableMax's softmax-collapse test); x is clamped to 88.3763
  ;; above (never reached from x − max ≤ 0). A NaN stays NaN.
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128) (local $underflow v128)
    (local.set $underflow (f32x4.lt (local.get $x) (f32x4.splat (f32.const -87.3365))))
    (local.set $x (f32x4.min (f32x4.max (local.get $x) (f32x4.splat (f32.const -87.3365))) (f32x4.splat (f32.const 88.3763))))
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (f32x4.splat (f32.const 1.44269504)))))
    (local.set $r
      (f32x4.sub
        (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (f32x4.splat (f32.const 0.693359375))))
        (f32x4.mul (local.get $n) (f32x4.splat (f32.const -2.12194440e-4)))))
    (local.set $p (f32x4.splat (f32.const 1.9875691500e-4)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.3981999507e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 8.3334519073e-3))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 4.1665795894e-2))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 1.6666665459e-1))))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (f32x4.splat (f32.const 5.0000001201e-1))))
    (local.set $p
      (f32x4.add
        (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
        (f32x4.splat (f32.const 1))))
    (v128.andnot
      (f32x4.mul (local.get $p)
        (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (i32x4.splat (i32.const 127))) (i32.const 23)))
      (local.get $underflow)))

  ;; ln x for a finite x > 0 (a NaN stays NaN): x = m·2^e with m in [√½, √2), ln m = 2·atanh((m−1)/(m+1)) by its
  ;; series to z¹⁵ (|z| ≤ 0.172: error < 1e-14).
  (func $log (param $x f64) (result f64)
    (local $bits i64) (local $exponent f64) (local $m f64) (local $z f64) (local $z2 f64)
    (if (f64.ne (local.get $x) (local.get $x)) (then (return (local.get $x))))
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $exponent
      (f64.convert_i64_s (i64.sub (i64.and (i64.shr_u (local.get $bits) (i64.const 52)) (i64.const 0x7ff)) (i64.const 1023))))
    (local.set $m
      (f64.reinterpret_i64
        (i64.or (i64.and (local.get $bits) (i64.const 0x000fffffffffffff)) (i64.const 0x3ff0000000000000))))
    (if (f64.gt (local.get $m) (f64.const 1.4142135623730951))
      (then
        (local.set $m (f64.mul (local.get $m) (f64.const 0.5)))
        (local.set $exponent (f64.add (local.get $exponent) (f64.const 1)))))
    (local.set $z (f64.div (f64.sub (local.get $m) (f64.const 1)) (f64.add (local.get $m) (f64.const 1))))
    (local.set $z2 (f64.mul (local.get $z) (local.get $z)))
    (f64.add
      (f64.mul (local.get $exponent) (f64.const 0.6931471805599453))
      (f64.mul
        (f64.mul (f64.const 2) (local.get $z))
        (f64.add (f64.const 1) (f64.mul (local.get $z2)
          (f64.add (f64.const 0.3333333333333333) (f64.mul (local.get $z2)
            (f64.add (f64.const 0.2) (f64.mul (local.get $z2)
              (f64.add (f64.const 0.14285714285714285) (f64.mul (local.get $z2)
                (f64.add (f64.const 0.1111111111111111) (f64.mul (local.get $z2)
                  (f64.add (f64.const 0.09090909090909091) (f64.mul (local.get $z2)
                    (f64.add (f64.const 0.07692307692307693) (f64.mul (local.get $z2)
                      (f64.const 0.06666666666666667))))))))))))))))))

  ;; Softmax cross-entropy over the rows of logits [rows, classes] against targets (int32 when $targetsInt, else
  ;; float32; rows that sum to 1, as one-hots do): writes softmax(logits) to probabilities [rows, classes] and returns
  ;; Σ_r (Σ_j t_rj · (ln Σ_j e^{x_rj − max_r} + max_r) − Σ_j t_rj · x_rj), the loss summed over rows (loss.ts).
  (func (export "softmaxCrossEntropy")
    (param $logits i32) (param $targets i32) (param $targetsInt i32) (param $rows i32) (param $classes i32)
    (param $probabilities i32) (result f64)
    (local $r i32) (local $j i32) (local $x i32) (local $p i32) (local $t i32) (local $max f32) (local $sum f32)
    (local $dot f64) (local $targetSum f64) (local $target f32) (local $total f64) (local $vectorEnd i32)
    (local $inverse v128) (local $value f32)
    (local.set $vectorEnd (i32.and (local.get $classes) (i32.const -4)))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $x (i32.add (local.get $logits) (i32.shl (i32.mul (local.get $r) (local.get $classes)) (i32.const 2))))
        (local.set $p
          (i32.add (local.get $probabilities) (i32.shl (i32.mul (local.get $r) (local.get $classes)) (i32.const 2))))
        (local.set $t (i32.add (local.get $targets) (i32.shl (i32.mul (local.get $r) (local.get $classes)) (i32.const 2))))
        ;; The row's maximum (a NaN makes it NaN), and Σ t·x and Σ t.
        (local.set $max (f32.load (local.get $x)))
        (local.set $dot (f64.const 0))
        (local.set $targetSum (f64.const 0))
        (local.set $j (i32.const 0))
        (block $scanDone
          (loop $scan
            (br_if $scanDone (i32.ge_u (local.get $j) (local.get $classes)))
            (local.set $value (f32.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))))
            (local.set $max (f32.max (local.get $max) (local.get $value)))
            (local.set $target
              (if (result f32) (local.get $targetsInt)
                (then (f32.convert_i32_s (i32.load (i32.add (local.get $t) (i32.shl (local.get $j) (i32.const 2))))))
                (else (f32.load (i32.add (local.get $t) (i32.shl (local.get $j) (i32.const 2)))))))
            (if (f32.ne (local.get $target) (f32.const 0))
              (then
                (local.set $dot
                  (f64.add (local.get $dot) (f64.mul (f64.promote_f32 (local.get $target)) (f64.promote_f32 (local.get $value)))))
                (local.set $targetSum (f64.add (local.get $targetSum) (f64.promote_f32 (local.get $target))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $scan)))
        ;; e^{x − max}, four at a time, then the tail through the same four-lane exp.
        (local.set $j (i32.const 0))
        (block $expDone
          (loop $exps
            (br_if $expDone (i32.ge_u (local.get $j) (local.get $vectorEnd)))
            (v128.store (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))
              (call $exp4
                (f32x4.sub (v128.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2))))
                  (f32x4.splat (local.get $max)))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $exps)))
        (block $expTailDone
          (loop $expTail
            (br_if $expTailDone (i32.ge_u (local.get $j) (local.get $classes)))
            (f32.store (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))
              (f32x4.extract_lane 0
                (call $exp4
                  (f32x4.splat
                    (f32.sub (f32.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))) (local.get $max))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $expTail)))
        (local.set $sum (f32.const 0))
        (local.set $j (i32.const 0))
        (block $sumDone
          (loop $sums
            (br_if $sumDone (i32.ge_u (local.get $j) (local.get $classes)))
            (local.set $sum (f32.add (local.get $sum) (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $sums)))
        ;; Normalize: p = e / Σ e.
        (local.set $inverse (f32x4.splat (f32.div (f32.const 1) (local.get $sum))))
        (local.set $j (i32.const 0))
        (block $normDone
          (loop $norms
            (br_if $normDone (i32.ge_u (local.get $j) (local.get $vectorEnd)))
            (v128.store (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))
              (f32x4.mul (v128.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))) (local.get $inverse)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $norms)))
        (block $normTailDone
          (loop $normTail
            (br_if $normTailDone (i32.ge_u (local.get $j) (local.get $classes)))
            (f32.store (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))
              (f32.mul (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))
                (f32x4.extract_lane 0 (local.get $inverse))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $normTail)))
        (local.set $total
          (f64.add (local.get $total)
            (f64.sub
              (f64.mul (local.get $targetSum)
                (f64.add (call $log (f64.promote_f32 (local.get $sum))) (f64.promote_f32 (local.get $max))))
              (local.get $dot))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop)))
    (local.get $total))

  ;; out[i] = scale · (probabilities[i] − targets[i]) for count entries: softmaxCrossEntropy's gradient with respect
  ;; to the logits, scale = dy / rows.
  (func (export "softmaxCrossEntropyGrad")
    (param $probabilities i32) (param $targets i32) (param $targetsInt i32) (param $count i32) (param $scale f32)
    (param $out i32)
    (local $i i32) (local $at i32) (local $vectorEnd i32) (local $target v128) (local $scales v128)
    (local.set $scales (f32x4.splat (local.get $scale)))
    (local.set $vectorEnd (i32.and (local.get $count) (i32.const -4)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $vectorEnd)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $target (v128.load (i32.add (local.get $targets) (local.get $at))))
        (if (local.get $targetsInt) (then (local.set $target (f32x4.convert_i32x4_s (local.get $target)))))
        (v128.store (i32.add (local.get $out) (local.get $at))
          (f32x4.mul (local.get $scales)
            (f32x4.sub (v128.load (i32.add (local.get $probabilities) (local.get $at))) (local.get $target))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (f32.store (i32.add (local.get $out) (local.get $at))
          (f32.mul (local.get $scale)
            (f32.sub (f32.load (i32.add (local.get $probabilities) (local.get $at)))
              (if (result f32) (local.get $targetsInt)
                (then (f32.convert_i32_s (i32.load (i32.add (local.get $targets) (local.get $at)))))
                (else (f32.load (i32.add (local.get $targets) (local.get $at))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))

  ;; out [columns] = Σ_r x[r, :] for x [rows, columns]: a dense layer's bias gradient (tfjs-wasm's Sum over the
  ;; leading axis transposes first).
  (func (export "columnSums") (param $x i32) (param $rows i32) (param $columns i32) (param $out i32)
    (local $r i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $columns) (i32.const 2)))
    (memory.fill (local.get $out) (i32.const 0) (local.get $rowBytes))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (call $addScaled (local.get $out) (local.get $x) (f32.const 1) (local.get $columns))
        (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowLoop))))

  ;; The flat AdamW update, coordinate by coordinate over count entries (optimizer.ts, webgpuAdam.ts):
  ;; m′ = β₁m + (1−β₁)g, v′ = β₂v + (1−β₂)g², θ′ = keep·θ − stepSize·m′/(√v′ + ε).
  (func (export "adamW")
    (param $m i32) (param $v i32) (param $g i32) (param $theta i32)
    (param $outM i32) (param $outV i32) (param $outTheta i32) (param $count i32)
    (param $beta1 f32) (param $beta2 f32) (param $epsilon f32) (param $keep f32) (param $stepSize f32)
    (local $i i32) (local $vectorEnd i32) (local $at i32)
    (local $gradient v128) (local $first v128) (local $second v128)
    (local $b1 v128) (local $b2 v128) (local $c1 v128) (local $c2 v128) (local $eps v128) (local $k v128) (local $s v128)
    (local $gs f32) (local $firstS f32) (local $secondS f32)
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $c1 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta1))))
    (local.set $c2 (f32x4.splat (f32.sub (f32.const 1) (local.get $beta2))))
    (local.set $eps (f32x4.splat (local.get $epsilon)))
    (local.set $k (f32x4.splat (local.get $keep)))
    (local.set $s (f32x4.splat (local.get $stepSize)))
    (local.set $vectorEnd (i32.and (local.get $count) (i32.const -4)))
    (block $vectorsDone
      (loop $vectors
        (br_if $vectorsDone (i32.ge_u (local.get $i) (local.get $vectorEnd)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gradient (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $first
          (f32x4.add
            (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $m) (local.get $at))))
            (f32x4.mul (local.get $c1) (local.get $gradient))))
        (local.set $second
          (f32x4.add
            (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $v) (local.get $at))))
            (f32x4.mul (local.get $c2) (f32x4.mul (local.get $gradient) (local.get $gradient)))))
        (v128.store (i32.add (local.get $outM) (local.get $at)) (local.get $first))
        (v128.store (i32.add (local.get $outV) (local.get $at)) (local.get $second))
        (v128.store (i32.add (local.get $outTheta) (local.get $at))
          (f32x4.sub
            (f32x4.mul (local.get $k) (v128.load (i32.add (local.get $theta) (local.get $at))))
            (f32x4.div
              (f32x4.mul (local.get $s) (local.get $first))
              (f32x4.add (f32x4.sqrt (local.get $second)) (local.get $eps)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $vectors)))
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (local.get $i) (local.get $count)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.load (i32.add (local.get $g) (local.get $at))))
        (local.set $firstS
          (f32.add
            (f32.mul (local.get $beta1) (f32.load (i32.add (local.get $m) (local.get $at))))
            (f32.mul (f32.sub (f32.const 1) (local.get $beta1)) (local.get $gs))))
        (local.set $secondS
          (f32.add
            (f32.mul (local.get $beta2) (f32.load (i32.add (local.get $v) (local.get $at))))
            (f32.mul (f32.sub (f32.const 1) (local.get $beta2)) (f32.mul (local.get $gs) (local.get $gs)))))
        (f32.store (i32.add (local.get $outM) (local.get $at)) (local.get $firstS))
        (f32.store (i32.add (local.get $outV) (local.get $at)) (local.get $secondS))
        (f32.store (i32.add (local.get $outTheta) (local.get $at))
          (f32.sub
            (f32.mul (local.get $keep) (f32.load (i32.add (local.get $theta) (local.get $at))))
            (f32.div
              (f32.mul (local.get $stepSize) (local.get $firstS))
              (f32.add (f32.sqrt (local.get $secondS)) (local.get $epsilon)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))))
