//go:build !purego

#include "textflag.h"

// Each kernel does n8 blocks of 8 float32 values with AVX2, one value per
// lane, in the order of the plain Go loops' operations (no fused
// multiply-add), so each value is the same bits as theirs.

// PASS_ARGS loads n8, dst, dy, y and x of gradReLU8 and gradReLU68 into
// CX, DI, BX, DX and SI, and their constants into Y1-Y5.
#define PASS_ARGS \
	MOVQ n8+0(FP), CX; \
	MOVQ dst+8(FP), DI; \
	MOVQ dy+16(FP), BX; \
	MOVQ y+24(FP), DX; \
	MOVQ x+32(FP), SI; \
	MOVQ c+40(FP), AX; \
	GRAD_CONSTS

// AFFINE_ARGS loads n8, dst and x into CX, DI and SI, and hi, lo, a, b
// from c into Y1-Y4.
#define AFFINE_ARGS \
	MOVQ n8+0(FP), CX; \
	MOVQ dst+8(FP), DI; \
	MOVQ x+16(FP), SI; \
	MOVQ c+24(FP), AX; \
	VBROADCASTSS 0(AX), Y1; \
	VBROADCASTSS 4(AX), Y2; \
	VBROADCASTSS 8(AX), Y3; \
	VBROADCASTSS 12(AX), Y4

// func normalize8(n8 int, dst, x *float32, c *float32)
// dst = ((x-hi)-lo)*a + b; c holds hi, lo, a, b.
TEXT ·normalize8(SB), NOSPLIT, $0-32
	AFFINE_ARGS

normLoop:
	VMOVUPS (SI), Y0
	VSUBPS  Y1, Y0, Y0
	VSUBPS  Y2, Y0, Y0
	VMULPS  Y3, Y0, Y0
	VADDPS  Y4, Y0, Y0
	VMOVUPS Y0, (DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNE     normLoop
	VZEROUPPER
	RET

// func normalizeClamp8(n8 int, dst, x *float32, c *float32)
// dst = min(max(((x-hi)-lo)*a + b, 0), ceil) as Go's min and max: a NaN
// stays NaN, -0 becomes +0; c holds hi, lo, a, b, ceil.
TEXT ·normalizeClamp8(SB), NOSPLIT, $0-32
	AFFINE_ARGS
	VBROADCASTSS 16(AX), Y5
	VXORPS       Y8, Y8, Y8

clampLoop:
	VMOVUPS   (SI), Y0
	VSUBPS    Y1, Y0, Y0
	VSUBPS    Y2, Y0, Y0
	VMULPS    Y3, Y0, Y0
	VADDPS    Y4, Y0, Y0
	VMAXPS    Y8, Y0, Y6     // y > 0 ? y : +0 (a NaN gives +0 here)
	VCMPPS    $3, Y0, Y0, Y7 // lanes where y is NaN
	VBLENDVPS Y7, Y0, Y6, Y6 // ... keep it
	VMINPS    Y6, Y5, Y6     // ceil < r ? ceil : r (a NaN r stays)
	VMOVUPS   Y6, (DI)
	ADDQ      $32, SI
	ADDQ      $32, DI
	DECQ      CX
	JNE       clampLoop
	VZEROUPPER
	RET

// GRAD_CONSTS loads hi, lo, g, k, k0 from (AX) into Y1-Y5.
#define GRAD_CONSTS \
	VBROADCASTSS 0(AX), Y1; \
	VBROADCASTSS 4(AX), Y2; \
	VBROADCASTSS 8(AX), Y3; \
	VBROADCASTSS 12(AX), Y4; \
	VBROADCASTSS 16(AX), Y5

// GRAD_STORE writes g*Y0 + k*((x-hi)-lo) + k0 to (DI), x read from (SI),
// and moves SI, DI and BX (dy) on by a block.
#define GRAD_STORE \
	VMULPS  Y3, Y0, Y0; \
	VMOVUPS (SI), Y6; \
	VSUBPS  Y1, Y6, Y6; \
	VSUBPS  Y2, Y6, Y6; \
	VMULPS  Y4, Y6, Y6; \
	VADDPS  Y6, Y0, Y0; \
	VADDPS  Y5, Y0, Y0; \
	VMOVUPS Y0, (DI); \
	ADDQ    $32, SI; \
	ADDQ    $32, DI; \
	ADDQ    $32, BX

// func grad8(n8 int, dst, dy, x *float32, c *float32)
// dst = g*dy + k*((x-hi)-lo) + k0; c holds hi, lo, g, k, k0.
TEXT ·grad8(SB), NOSPLIT, $0-40
	MOVQ n8+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ dy+16(FP), BX
	MOVQ x+24(FP), SI
	MOVQ c+32(FP), AX
	GRAD_CONSTS

gradLoop:
	VMOVUPS (BX), Y0
	GRAD_STORE
	DECQ    CX
	JNE     gradLoop
	VZEROUPPER
	RET

// func gradReLU8(n8 int, dst, dy, y, x *float32, c *float32)
// grad8 with dy where y is not <= 0 (a NaN passes), else +0.
TEXT ·gradReLU8(SB), NOSPLIT, $0-48
	PASS_ARGS
	VXORPS Y8, Y8, Y8

reluLoop:
	VMOVUPS (DX), Y7
	VCMPPS  $6, Y8, Y7, Y7 // !(y <= 0), true for a NaN
	VANDPS  (BX), Y7, Y0
	GRAD_STORE
	ADDQ    $32, DX
	DECQ    CX
	JNE     reluLoop
	VZEROUPPER
	RET

// func gradReLU68(n8 int, dst, dy, y, x *float32, c *float32)
// grad8 with dy times 1 where 0 < y < 6, else times 0.
TEXT ·gradReLU68(SB), NOSPLIT, $0-48
	PASS_ARGS
	VXORPS       Y8, Y8, Y8
	MOVL         $0x40c00000, R8 // 6.0
	VMOVD        R8, X9
	VBROADCASTSS X9, Y9
	MOVL         $0x3f800000, R8 // 1.0
	VMOVD        R8, X10
	VBROADCASTSS X10, Y10

relu6Loop:
	VMOVUPS (DX), Y7
	VCMPPS  $0x1e, Y8, Y7, Y11 // y > 0 (ordered)
	VCMPPS  $0x11, Y9, Y7, Y12 // y < 6 (ordered)
	VANDPS  Y11, Y12, Y11
	VANDPS  Y10, Y11, Y11      // 1 or 0
	VMULPS  (BX), Y11, Y0      // dy * (1 or 0)
	GRAD_STORE
	ADDQ    $32, DX
	DECQ    CX
	JNE     relu6Loop
	VZEROUPPER
	RET
