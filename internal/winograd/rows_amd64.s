//go:build !purego

#include "textflag.h"

// func outputCols8(n8 int, m0, m1, m2, m3, s0, s1 *float32)
// n8 blocks of 8 values: s0 = (m0 + m1) + m2, s1 = (m1 - m2) - m3.
TEXT ·outputCols8(SB), NOSPLIT, $0-56
	MOVQ n8+0(FP), CX
	MOVQ m0+8(FP), SI
	MOVQ m1+16(FP), DX
	MOVQ m2+24(FP), R8
	MOVQ m3+32(FP), R9
	MOVQ s0+40(FP), R10
	MOVQ s1+48(FP), R11

loop:
	VMOVUPS (SI), Y0
	VMOVUPS (DX), Y1
	VMOVUPS (R8), Y2
	VMOVUPS (R9), Y3
	VADDPS  Y1, Y0, Y4
	VADDPS  Y2, Y4, Y4
	VSUBPS  Y2, Y1, Y5
	VSUBPS  Y3, Y5, Y5
	VMOVUPS Y4, (R10)
	VMOVUPS Y5, (R11)
	ADDQ    $32, SI
	ADDQ    $32, DX
	ADDQ    $32, R8
	ADDQ    $32, R9
	ADDQ    $32, R10
	ADDQ    $32, R11
	DECQ    CX
	JNE     loop
	VZEROUPPER
	RET

// func outputRow8(n8 int, c0, c1, c2, c3, row *float32)
// n8 blocks of 8 tiles: row[2tx] = (c0 + c1) + c2, row[2tx+1] = (c1 - c2) -
// c3, the two interleaved by VUNPCKLPS/VUNPCKHPS and VPERM2F128.
TEXT ·outputRow8(SB), NOSPLIT, $0-48
	MOVQ n8+0(FP), CX
	MOVQ c0+8(FP), SI
	MOVQ c1+16(FP), DX
	MOVQ c2+24(FP), R8
	MOVQ c3+32(FP), R9
	MOVQ row+40(FP), DI

loop:
	VMOVUPS    (SI), Y0
	VMOVUPS    (DX), Y1
	VMOVUPS    (R8), Y2
	VMOVUPS    (R9), Y3
	VADDPS     Y1, Y0, Y4
	VADDPS     Y2, Y4, Y4         // v0
	VSUBPS     Y2, Y1, Y5
	VSUBPS     Y3, Y5, Y5         // v1
	VUNPCKLPS  Y5, Y4, Y6         // v0_0 v1_0 v0_1 v1_1 | v0_4 v1_4 v0_5 v1_5
	VUNPCKHPS  Y5, Y4, Y7         // v0_2 v1_2 v0_3 v1_3 | v0_6 v1_6 v0_7 v1_7
	VPERM2F128 $0x20, Y7, Y6, Y8
	VPERM2F128 $0x31, Y7, Y6, Y9
	VMOVUPS    Y8, (DI)
	VMOVUPS    Y9, 32(DI)
	ADDQ       $32, SI
	ADDQ       $32, DX
	ADDQ       $32, R8
	ADDQ       $32, R9
	ADDQ       $64, DI
	DECQ       CX
	JNE        loop
	VZEROUPPER
	RET
