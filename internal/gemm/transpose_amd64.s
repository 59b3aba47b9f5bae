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
