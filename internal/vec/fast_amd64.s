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
