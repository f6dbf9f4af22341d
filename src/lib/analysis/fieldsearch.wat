;; The inner loop of fieldsearch.ts (runTile) in WebAssembly: the same steps, the same IEEE sums and
;; comparisons, so the labels are the same bit for bit. Assembled by `npm run wasm` (scripts/build-wasm.ts)
;; into fieldsearch.wasm.ts; a unit test checks that the two agree. One instance per graph; its memory holds,
;; at offsets set once by `layout`: adjStart (i32 × nodes+1), adjTo (i32), adjLen (f64), dist (f64 × nodes),
;; src (i32 × nodes), the tiles' bucket bitmaps (i32), set bits per bucket (i32) and lowest bucket per tile (i32).
(module
  (memory (export "memory") 1)
  (global $pStart (mut i32) (i32.const 0))
  (global $pTo (mut i32) (i32.const 0))
  (global $pLen (mut i32) (i32.const 0))
  (global $pDist (mut i32) (i32.const 0))
  (global $pSrc (mut i32) (i32.const 0))
  (global $pBits (mut i32) (i32.const 0))
  (global $pOcc (mut i32) (i32.const 0))
  (global $pLo (mut i32) (i32.const 0))
  (global $inv (mut f64) (f64.const 1))
  (global $tw (mut i32) (i32.const 1))
  (global $nb (mut i32) (i32.const 8))
  (global $tileBits (mut i32) (i32.const 5))
  ;; change of the number of set bits in the last runTile (read by `delta`)
  (global $delta (mut i32) (i32.const 0))

  (func (export "layout")
    (param $pStart i32) (param $pTo i32) (param $pLen i32) (param $pDist i32) (param $pSrc i32)
    (param $pBits i32) (param $pOcc i32) (param $pLo i32)
    (param $inv f64) (param $tw i32) (param $nb i32) (param $tileBits i32)
    (global.set $pStart (local.get $pStart))
    (global.set $pTo (local.get $pTo))
    (global.set $pLen (local.get $pLen))
    (global.set $pDist (local.get $pDist))
    (global.set $pSrc (local.get $pSrc))
    (global.set $pBits (local.get $pBits))
    (global.set $pOcc (local.get $pOcc))
    (global.set $pLo (local.get $pLo))
    (global.set $inv (local.get $inv))
    (global.set $tw (local.get $tw))
    (global.set $nb (local.get $nb))
    (global.set $tileBits (local.get $tileBits)))

  (func (export "delta") (result i32) (global.get $delta))

  ;; Run tile $t from its lowest bucket up to (not including) bucket $wEnd; returns the nodes expanded.
  (func (export "runTile") (param $t i32) (param $wEnd i32) (param $cutoff f64) (result i32)
    (local $mask i32) (local $tileMask i32) (local $base i32) (local $expanded i32) (local $delta i32)
    (local $b i32) (local $slot i32) (local $off i32) (local $wd i32) (local $wa i32) (local $x i32)
    (local $u i32) (local $du f64) (local $su i32) (local $k i32) (local $end i32) (local $v i32)
    (local $nd f64) (local $dv f64) (local $nbk i32) (local $tv i32) (local $s2 i32) (local $wi i32)
    (local $m i32) (local $a i32) (local $inv f64) (local $nb i32) (local $tw i32) (local $tb i32)
    (local $pDist i32) (local $pSrc i32) (local $pBits i32) (local $pOcc i32) (local $pLo i32)
    (local.set $inv (global.get $inv))
    (local.set $nb (global.get $nb))
    (local.set $tw (global.get $tw))
    (local.set $tb (global.get $tileBits))
    (local.set $pDist (global.get $pDist))
    (local.set $pSrc (global.get $pSrc))
    (local.set $pBits (global.get $pBits))
    (local.set $pOcc (global.get $pOcc))
    (local.set $pLo (global.get $pLo))
    (local.set $mask (i32.sub (local.get $nb) (i32.const 1)))
    (local.set $tileMask (i32.sub (i32.shl (i32.const 1) (local.get $tb)) (i32.const 1)))
    (local.set $base (i32.shl (local.get $t) (local.get $tb)))
    ;; b = lo[t]; lo[t] = NONE
    (local.set $a (i32.add (local.get $pLo) (i32.shl (local.get $t) (i32.const 2))))
    (local.set $b (i32.load (local.get $a)))
    (i32.store (local.get $a) (i32.const 0x7fffffff))
    (block $doneB
      (loop $B
        (br_if $doneB (i32.ge_s (local.get $b) (local.get $wEnd)))
        (local.set $slot (i32.add (i32.mul (local.get $t) (local.get $nb)) (i32.and (local.get $b) (local.get $mask))))
        (local.set $off (i32.add (local.get $pBits) (i32.shl (i32.mul (local.get $slot) (local.get $tw)) (i32.const 2))))
        (block $doneOcc
          (loop $Occ
            (br_if $doneOcc (i32.le_s (i32.load (i32.add (local.get $pOcc) (i32.shl (local.get $slot) (i32.const 2)))) (i32.const 0)))
            (local.set $wd (i32.const 0))
            (block $doneW
              (loop $W
                (br_if $doneW (i32.ge_s (local.get $wd) (local.get $tw)))
                (local.set $wa (i32.add (local.get $off) (i32.shl (local.get $wd) (i32.const 2))))
                (local.set $x (i32.load (local.get $wa)))
                (if (local.get $x)
                  (then
                    (i32.store (local.get $wa) (i32.const 0))
                    ;; the word's nodes leave the bucket's count at once
                    (local.set $a (i32.add (local.get $pOcc) (i32.shl (local.get $slot) (i32.const 2))))
                    (i32.store (local.get $a) (i32.sub (i32.load (local.get $a)) (i32.popcnt (local.get $x))))
                    (local.set $delta (i32.sub (local.get $delta) (i32.popcnt (local.get $x))))
                    (block $doneX
                      (loop $X
                        (br_if $doneX (i32.eqz (local.get $x)))
                        (local.set $u (i32.or (local.get $base) (i32.or (i32.shl (local.get $wd) (i32.const 5)) (i32.ctz (local.get $x)))))
                        (local.set $x (i32.and (local.get $x) (i32.sub (local.get $x) (i32.const 1))))
                        (local.set $du (f64.load (i32.add (local.get $pDist) (i32.shl (local.get $u) (i32.const 3)))))
                        ;; still in this bucket? (else improved into an earlier one since: handled there)
                        (if (i32.eq (i32.trunc_sat_f64_s (f64.mul (local.get $du) (local.get $inv))) (local.get $b))
                          (then
                            (local.set $expanded (i32.add (local.get $expanded) (i32.const 1)))
                            (local.set $su (i32.load (i32.add (local.get $pSrc) (i32.shl (local.get $u) (i32.const 2)))))
                            (local.set $a (i32.add (global.get $pStart) (i32.shl (local.get $u) (i32.const 2))))
                            (local.set $k (i32.load (local.get $a)))
                            (local.set $end (i32.load offset=4 (local.get $a)))
                            (block $doneK
                              (loop $K
                                (br_if $doneK (i32.ge_u (local.get $k) (local.get $end)))
                                (local.set $v (i32.load (i32.add (global.get $pTo) (i32.shl (local.get $k) (i32.const 2)))))
                                (local.set $nd (f64.add (local.get $du) (f64.load (i32.add (global.get $pLen) (i32.shl (local.get $k) (i32.const 3))))))
                                (local.set $dv (f64.load (i32.add (local.get $pDist) (i32.shl (local.get $v) (i32.const 3)))))
                                ;; nd < dv, or nd = dv from a lower source (v's source is read only on a tie), within the cutoff
                                (if (if (result i32) (f64.lt (local.get $nd) (local.get $dv))
                                      (then (f64.le (local.get $nd) (local.get $cutoff)))
                                      (else (if (result i32) (f64.eq (local.get $nd) (local.get $dv))
                                        (then (i32.and (f64.le (local.get $nd) (local.get $cutoff))
                                                (i32.lt_s (local.get $su) (i32.load (i32.add (local.get $pSrc) (i32.shl (local.get $v) (i32.const 2)))))))
                                        (else (i32.const 0)))))
                                  (then
                                    (f64.store (i32.add (local.get $pDist) (i32.shl (local.get $v) (i32.const 3))) (local.get $nd))
                                    (i32.store (i32.add (local.get $pSrc) (i32.shl (local.get $v) (i32.const 2))) (local.get $su))
                                    (local.set $nbk (i32.trunc_sat_f64_s (f64.mul (local.get $nd) (local.get $inv))))
                                    (local.set $tv (i32.shr_u (local.get $v) (local.get $tb)))
                                    (local.set $s2 (i32.add (i32.mul (local.get $tv) (local.get $nb)) (i32.and (local.get $nbk) (local.get $mask))))
                                    (local.set $wi (i32.add (i32.mul (local.get $s2) (local.get $tw)) (i32.shr_u (i32.and (local.get $v) (local.get $tileMask)) (i32.const 5))))
                                    (local.set $m (i32.shl (i32.const 1) (i32.and (local.get $v) (i32.const 31))))
                                    ;; lo[tv] = min(lo[tv], nbk)
                                    (local.set $a (i32.add (local.get $pLo) (i32.shl (local.get $tv) (i32.const 2))))
                                    (if (i32.lt_s (local.get $nbk) (i32.load (local.get $a)))
                                      (then (i32.store (local.get $a) (local.get $nbk))))
                                    (local.set $a (i32.add (local.get $pBits) (i32.shl (local.get $wi) (i32.const 2))))
                                    (if (i32.eqz (i32.and (i32.load (local.get $a)) (local.get $m)))
                                      (then
                                        (i32.store (local.get $a) (i32.or (i32.load (local.get $a)) (local.get $m)))
                                        (local.set $a (i32.add (local.get $pOcc) (i32.shl (local.get $s2) (i32.const 2))))
                                        (i32.store (local.get $a) (i32.add (i32.load (local.get $a)) (i32.const 1)))
                                        (local.set $delta (i32.add (local.get $delta) (i32.const 1)))))))
                                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                                (br $K)))))
                        (br $X)))))
                (local.set $wd (i32.add (local.get $wd) (i32.const 1)))
                (br $W)))
            (br $Occ)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $B)))
    ;; everything below wEnd is done here: the tile's next work is its first non-empty slot from b on
    (local.set $a (i32.add (local.get $pLo) (i32.shl (local.get $t) (i32.const 2))))
    (i32.store (local.get $a) (i32.const 0x7fffffff))
    (local.set $k (i32.const 0))
    (block $doneL
      (loop $L
        (br_if $doneL (i32.ge_s (local.get $k) (local.get $nb)))
        (if (i32.gt_s
              (i32.load (i32.add (local.get $pOcc)
                (i32.shl (i32.add (i32.mul (local.get $t) (local.get $nb)) (i32.and (i32.add (local.get $b) (local.get $k)) (local.get $mask))) (i32.const 2))))
              (i32.const 0))
          (then
            (i32.store (local.get $a) (i32.add (local.get $b) (local.get $k)))
            (br $doneL)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $L)))
    (global.set $delta (local.get $delta))
    (local.get $expanded))
)
