//go:build !purego

#include "textflag.h"

// func add8(n8 int, dst, src *float32)
// dst[i] += src[i] for 8*n8 values, 32 per round while it can.
TEXT ·add8(SB), NOSPLIT, $0-24
	MOVQ n8+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI

rounds:
	CMPQ CX, $4
	JLT  blocks
	VMOVUPS 0(DI), Y0
	VMOVUPS 32(DI), Y1
	VMOVUPS 64(DI), Y2
	VMOVUPS 96(DI), Y3
	VADDPS  0(SI), Y0, Y0
	VADDPS  32(SI), Y1, Y1
	VADDPS  64(SI), Y2, Y2
	VADDPS  96(SI), Y3, Y3
	VMOVUPS Y0, 0(DI)
	VMOVUPS Y1, 32(DI)
	VMOVUPS Y2, 64(DI)
	VMOVUPS Y3, 96(DI)
	ADDQ    $128, DI
	ADDQ    $128, SI
	SUBQ    $4, CX
	JMP     rounds

blocks:
	TESTQ CX, CX
	JZ    done
	VMOVUPS 0(DI), Y0
	VADDPS  0(SI), Y0, Y0
	VMOVUPS Y0, 0(DI)
	ADDQ    $32, DI
	ADDQ    $32, SI
	DECQ    CX
	JMP     blocks

done:
	VZEROUPPER
	RET

// func even8(n8 int, dst, src *float32)
// dst[i] = src[2*i] for 8*n8 values: two loads of 8, the even lanes of
// each 128-bit half picked by VSHUFPS, the halves put in order by VPERMPD.
TEXT ·even8(SB), NOSPLIT, $0-24
	MOVQ n8+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI

evens:
	VMOVUPS 0(SI), Y0
	VMOVUPS 32(SI), Y1
	VSHUFPS $0x88, Y1, Y0, Y2
	VPERMPD $0xD8, Y2, Y2
	VMOVUPS Y2, 0(DI)
	ADDQ    $64, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     evens
	VZEROUPPER
	RET

// The 8 lanes' indices 0..7, and 8 in every lane.
DATA iota<>+0(SB)/4, $0
DATA iota<>+4(SB)/4, $1
DATA iota<>+8(SB)/4, $2
DATA iota<>+12(SB)/4, $3
DATA iota<>+16(SB)/4, $4
DATA iota<>+20(SB)/4, $5
DATA iota<>+24(SB)/4, $6
DATA iota<>+28(SB)/4, $7
GLOBL iota<>(SB), RODATA|NOPTR, $32

// func maxTaps8(n8 int, dst *float32, idx *int32, src *float32, k, step int, base int32)
// Y0: the largest tap so far, Y1: its index, Y3: the current tap's index,
// Y4: the block's first tap's index (base + j), Y6: step in every lane,
// Y7: 8 in every lane. A tap wins where it is greater (ordered: NaN never).
TEXT ·maxTaps8(SB), NOSPLIT, $0-52
	MOVQ n8+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ idx+16(FP), DX
	MOVQ src+24(FP), SI
	MOVQ k+32(FP), R8
	MOVQ step+40(FP), R9
	MOVQ R9, X6
	VPBROADCASTD X6, Y6
	SHLQ $2, R9
	MOVL base+48(FP), AX
	MOVQ AX, X4
	VPBROADCASTD X4, Y4
	VPADDD iota<>(SB), Y4, Y4
	MOVL $8, AX
	MOVQ AX, X7
	VPBROADCASTD X7, Y7

block:
	VMOVUPS 0(SI), Y0
	VMOVDQU Y4, Y1
	VMOVDQU Y4, Y3
	MOVQ    SI, R10
	MOVQ    $1, R11

tap:
	CMPQ      R11, R8
	JGE       store
	ADDQ      R9, R10
	VPADDD    Y6, Y3, Y3
	VMOVUPS   0(R10), Y2
	VCMPPS    $0x1E, Y0, Y2, Y8
	VBLENDVPS Y8, Y2, Y0, Y0
	VBLENDVPS Y8, Y3, Y1, Y1
	INCQ      R11
	JMP       tap

store:
	VMOVUPS Y0, 0(DI)
	VMOVDQU Y1, 0(DX)
	VPADDD  Y7, Y4, Y4
	ADDQ    $32, SI
	ADDQ    $32, DI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     block
	VZEROUPPER
	RET

// func maxTapsArgs8(n8 int, dst *float32, idx *int32, src *float32, args *int32, k, step int)
// As maxTaps8, each tap's index read from args beside its value.
TEXT ·maxTapsArgs8(SB), NOSPLIT, $0-56
	MOVQ n8+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ idx+16(FP), DX
	MOVQ src+24(FP), SI
	MOVQ args+32(FP), BX
	MOVQ k+40(FP), R8
	MOVQ step+48(FP), R9
	SHLQ $2, R9

argsBlock:
	VMOVUPS 0(SI), Y0
	VMOVDQU 0(BX), Y1
	MOVQ    SI, R10
	MOVQ    BX, R12
	MOVQ    $1, R11

argsTap:
	CMPQ      R11, R8
	JGE       argsStore
	ADDQ      R9, R10
	ADDQ      R9, R12
	VMOVUPS   0(R10), Y2
	VMOVDQU   0(R12), Y3
	VCMPPS    $0x1E, Y0, Y2, Y8
	VBLENDVPS Y8, Y2, Y0, Y0
	VBLENDVPS Y8, Y3, Y1, Y1
	INCQ      R11
	JMP       argsTap

argsStore:
	VMOVUPS Y0, 0(DI)
	VMOVDQU Y1, 0(DX)
	ADDQ    $32, SI
	ADDQ    $32, BX
	ADDQ    $32, DI
	ADDQ    $32, DX
	DECQ    CX
	JNZ     argsBlock
	VZEROUPPER
	RET

// func hasNaN8(n8 int, x *float32) bool
TEXT ·hasNaN8(SB), NOSPLIT, $0-17
	MOVQ   n8+0(FP), CX
	MOVQ   x+8(FP), SI
	VXORPS Y1, Y1, Y1

nans:
	VMOVUPS 0(SI), Y0
	VCMPPS  $3, Y0, Y0, Y0
	VORPS   Y0, Y1, Y1
	ADDQ    $32, SI
	DECQ    CX
	JNZ     nans
	VMOVMSKPS Y1, AX
	TESTL   AX, AX
	SETNE   ret+16(FP)
	VZEROUPPER
	RET

// func relu8(n8 int, dst, x *float32)
// VMAXPS returns its second source (+0) on a tie of zeros and on NaN; the
// NaN lanes then take x back with its sign bit cleared, as Go's max(x, 0)
// gives them.
TEXT ·relu8(SB), NOSPLIT, $0-24
	MOVQ   n8+0(FP), CX
	MOVQ   dst+8(FP), DI
	MOVQ   x+16(FP), SI
	VXORPS Y7, Y7, Y7
	MOVL   $0x7fffffff, AX
	MOVQ   AX, X6
	VPBROADCASTD X6, Y6

reluBlock:
	VMOVUPS   0(SI), Y0
	VMAXPS    Y7, Y0, Y1
	VCMPPS    $3, Y0, Y0, Y2
	VANDPS    Y6, Y0, Y3
	VBLENDVPS Y2, Y3, Y1, Y1
	VMOVUPS   Y1, 0(DI)
	ADDQ      $32, SI
	ADDQ      $32, DI
	DECQ      CX
	JNZ       reluBlock
	VZEROUPPER
	RET

// func reluGrad8(n8 int, dst, dy, y *float32)
// dy where y is not <= 0 (NLE_UQ: NaN passes), else +0.
TEXT ·reluGrad8(SB), NOSPLIT, $0-32
	MOVQ   n8+0(FP), CX
	MOVQ   dst+8(FP), DI
	MOVQ   dy+16(FP), BX
	MOVQ   y+24(FP), SI
	VXORPS Y7, Y7, Y7

gradBlock:
	VMOVUPS 0(SI), Y0
	VCMPPS  $6, Y7, Y0, Y1
	VANDPS  0(BX), Y1, Y1
	VMOVUPS Y1, 0(DI)
	ADDQ    $32, SI
	ADDQ    $32, BX
	ADDQ    $32, DI
	DECQ    CX
	JNZ     gradBlock
	VZEROUPPER
	RET

// func sumTaps8(n8 int, dst, src *float32, offs *int, k int, div float32)
// Each block of 8: +0, plus each tap in turn (VADDPS, in offs' order), then
// VDIVPS by div: the operations of SumTaps's loop, lane by lane.
TEXT ·sumTaps8(SB), NOSPLIT, $0-44
	MOVQ n8+0(FP), CX
	MOVQ dst+8(FP), DI
	MOVQ src+16(FP), SI
	MOVQ offs+24(FP), BX
	MOVQ k+32(FP), R8
	VBROADCASTSS div+40(FP), Y7

sumBlock:
	VXORPS Y0, Y0, Y0
	XORQ   R11, R11

sumTap:
	MOVQ    (BX)(R11*8), AX
	VADDPS  (SI)(AX*4), Y0, Y0
	INCQ    R11
	CMPQ    R11, R8
	JLT     sumTap
	VDIVPS  Y7, Y0, Y0
	VMOVUPS Y0, 0(DI)
	ADDQ    $32, SI
	ADDQ    $32, DI
	DECQ    CX
	JNZ     sumBlock
	VZEROUPPER
	RET
