//go:build !purego

#include "textflag.h"

// func transpose4(n int, src *float32, lds int, dst *float32, ldd int)
// Transposes n blocks of 4 x 4 floats: block q holds rows src[r*lds+4q :
// r*lds+4q+4] (r = 0..3) and is written as dst[(4q+i)*ldd + r] (i, r =
// 0..3): four rows of a matrix laid down as columns, 4 values at a time.
TEXT ·transpose4(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	SHLQ $2, R8
	MOVQ dst+24(FP), DI
	MOVQ ldd+32(FP), R9
	SHLQ $2, R9
	LEAQ (R8)(R8*2), R10
	LEAQ (R9)(R9*2), R11
	TESTQ CX, CX
	JEQ   done

loop:
	VMOVUPS   (SI), X0
	VMOVUPS   (SI)(R8*1), X1
	VMOVUPS   (SI)(R8*2), X2
	VMOVUPS   (SI)(R10*1), X3
	VUNPCKLPS X1, X0, X4 // a0 b0 a1 b1
	VUNPCKHPS X1, X0, X5 // a2 b2 a3 b3
	VUNPCKLPS X3, X2, X6 // c0 d0 c1 d1
	VUNPCKHPS X3, X2, X7 // c2 d2 c3 d3
	VMOVLHPS  X6, X4, X0 // a0 b0 c0 d0
	VMOVHLPS  X4, X6, X1 // a1 b1 c1 d1
	VMOVLHPS  X7, X5, X2 // a2 b2 c2 d2
	VMOVHLPS  X5, X7, X3 // a3 b3 c3 d3
	VMOVUPS   X0, (DI)
	VMOVUPS   X1, (DI)(R9*1)
	VMOVUPS   X2, (DI)(R9*2)
	VMOVUPS   X3, (DI)(R11*1)
	ADDQ      $16, SI
	LEAQ      (DI)(R9*4), DI
	DECQ      CX
	JNE       loop

done:
	RET

// func transpose8(n int, src *float32, lds int, dst *float32, ldd int)
// Transposes n blocks of 8 x 8 floats with AVX: block q holds rows
// src[r*lds+8q : r*lds+8q+8] (r = 0..7) and is written as
// dst[(8q+i)*ldd + r] (i, r = 0..7).
TEXT ·transpose8(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ src+8(FP), SI
	MOVQ lds+16(FP), R8
	SHLQ $2, R8
	MOVQ dst+24(FP), DI
	MOVQ ldd+32(FP), R9
	SHLQ $2, R9
	LEAQ (R8)(R8*2), R10 // 3 rows
	LEAQ (R9)(R9*2), R11
	TESTQ CX, CX
	JEQ   done8

loop8:
	MOVQ    SI, AX
	VMOVUPS (AX), Y0
	VMOVUPS (AX)(R8*1), Y1
	VMOVUPS (AX)(R8*2), Y2
	VMOVUPS (AX)(R10*1), Y3
	LEAQ    (AX)(R8*4), AX
	VMOVUPS (AX), Y4
	VMOVUPS (AX)(R8*1), Y5
	VMOVUPS (AX)(R8*2), Y6
	VMOVUPS (AX)(R10*1), Y7
	VUNPCKLPS Y1, Y0, Y8  // a0 b0 a1 b1 | a4 b4 a5 b5
	VUNPCKHPS Y1, Y0, Y9  // a2 b2 a3 b3 | a6 b6 a7 b7
	VUNPCKLPS Y3, Y2, Y10 // c0 d0 c1 d1 | ...
	VUNPCKHPS Y3, Y2, Y11
	VUNPCKLPS Y5, Y4, Y12
	VUNPCKHPS Y5, Y4, Y13
	VUNPCKLPS Y7, Y6, Y14
	VUNPCKHPS Y7, Y6, Y15
	VSHUFPS $0x44, Y10, Y8, Y0  // a0 b0 c0 d0 | a4 b4 c4 d4
	VSHUFPS $0xEE, Y10, Y8, Y1  // a1 b1 c1 d1 | a5 ...
	VSHUFPS $0x44, Y11, Y9, Y2  // a2 b2 c2 d2 | a6 ...
	VSHUFPS $0xEE, Y11, Y9, Y3  // a3 b3 c3 d3 | a7 ...
	VSHUFPS $0x44, Y14, Y12, Y4 // e0 f0 g0 h0 | e4 ...
	VSHUFPS $0xEE, Y14, Y12, Y5
	VSHUFPS $0x44, Y15, Y13, Y6
	VSHUFPS $0xEE, Y15, Y13, Y7
	VPERM2F128 $0x20, Y4, Y0, Y8  // column 0: a0..h0
	VPERM2F128 $0x20, Y5, Y1, Y9  // column 1
	VPERM2F128 $0x20, Y6, Y2, Y10 // column 2
	VPERM2F128 $0x20, Y7, Y3, Y11 // column 3
	VPERM2F128 $0x31, Y4, Y0, Y12 // column 4
	VPERM2F128 $0x31, Y5, Y1, Y13 // column 5
	VPERM2F128 $0x31, Y6, Y2, Y14 // column 6
	VPERM2F128 $0x31, Y7, Y3, Y15 // column 7
	MOVQ    DI, AX
	VMOVUPS Y8, (AX)
	VMOVUPS Y9, (AX)(R9*1)
	VMOVUPS Y10, (AX)(R9*2)
	VMOVUPS Y11, (AX)(R11*1)
	LEAQ    (AX)(R9*4), AX
	VMOVUPS Y12, (AX)
	VMOVUPS Y13, (AX)(R9*1)
	VMOVUPS Y14, (AX)(R9*2)
	VMOVUPS Y15, (AX)(R11*1)
	ADDQ    $32, SI
	LEAQ    (DI)(R9*8), DI
	DECQ    CX
	JNE     loop8

done8:
	VZEROUPPER
	RET
