//go:build !purego

#include "textflag.h"

// func inputRow8(n8 int, e, d0, d1, d2, d3 *float32)
// n8 blocks of 8 tiles: from e[2tx .. 2tx+3] of tiles tx, d0 = e0 - e2,
// d1 = e1 + e2, d2 = e2 - e1, d3 = e1 - e3, with the even and odd values of
// e split apart by VSHUFPS and VPERMPD.
TEXT ·inputRow8(SB), NOSPLIT, $0-48
	MOVQ n8+0(FP), CX
	MOVQ e+8(FP), SI
	MOVQ d0+16(FP), R8
	MOVQ d1+24(FP), R9
	MOVQ d2+32(FP), R10
	MOVQ d3+40(FP), R11

loop:
	VMOVUPS  (SI), Y0           // e[2tx0 ..]
	VMOVUPS  32(SI), Y1         // e[2tx0+8 ..]
	VMOVUPS  8(SI), Y2          // e[2tx0+2 ..]
	VMOVUPS  40(SI), Y3         // e[2tx0+10 ..]
	VSHUFPS  $0x88, Y1, Y0, Y4  // even, lanes mixed
	VSHUFPS  $0xDD, Y1, Y0, Y5  // odd
	VSHUFPS  $0x88, Y3, Y2, Y6
	VSHUFPS  $0xDD, Y3, Y2, Y7
	VPERMPD  $0xD8, Y4, Y4      // E0: e[2tx]
	VPERMPD  $0xD8, Y5, Y5      // O0: e[2tx+1]
	VPERMPD  $0xD8, Y6, Y6      // E1: e[2tx+2]
	VPERMPD  $0xD8, Y7, Y7      // O1: e[2tx+3]
	VSUBPS   Y6, Y4, Y8         // E0 - E1
	VADDPS   Y6, Y5, Y9         // O0 + E1
	VSUBPS   Y5, Y6, Y10        // E1 - O0
	VSUBPS   Y7, Y5, Y11        // O0 - O1
	VMOVUPS  Y8, (R8)
	VMOVUPS  Y9, (R9)
	VMOVUPS  Y10, (R10)
	VMOVUPS  Y11, (R11)
	ADDQ     $64, SI
	ADDQ     $32, R8
	ADDQ     $32, R9
	ADDQ     $32, R10
	ADDQ     $32, R11
	DECQ     CX
	JNE      loop
	VZEROUPPER
	RET

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
