//go:build !purego

#include "textflag.h"

DATA sign<>+0(SB)/4, $0x80000000
GLOBL sign<>(SB), RODATA|NOPTR, $4

// func input3x16(n int, s0, s1, s2, s3, d *float32, stride int)
// Input3 on blocks of 16 values, the last one masked to what is left.
TEXT ·input3x16(SB), NOSPLIT, $0-56
	MOVQ n+0(FP), CX
	MOVQ s0+8(FP), SI
	MOVQ s1+16(FP), DI
	MOVQ s2+24(FP), R8
	MOVQ s3+32(FP), R9
	MOVQ d+40(FP), DX
	MOVQ stride+48(FP), R12
	SHLQ $2, R12               // bytes between d's runs
	LEAQ (DX)(R12*2), R13
	ADDQ R12, R13              // d + 3 runs

iloop:
	MOVL  $0xFFFF, BX
	CMPQ  CX, $16
	JGE   ifull
	MOVL  $1, BX
	SHLL  CX, BX
	DECL  BX
ifull:
	KMOVW BX, K1
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DI), K1, Z1
	VMOVUPS.Z (R8), K1, Z2
	VMOVUPS.Z (R9), K1, Z3
	VSUBPS Z2, Z0, Z4          // d0 = c0 - c2
	VADDPS Z2, Z1, Z5          // d1 = c1 + c2
	VSUBPS Z1, Z2, Z6          // d2 = c2 - c1
	VSUBPS Z3, Z1, Z7          // d3 = c1 - c3
	VMOVUPS Z4, K1, (DX)
	VMOVUPS Z5, K1, (DX)(R12*1)
	VMOVUPS Z6, K1, (DX)(R12*2)
	VMOVUPS Z7, K1, (R13)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, DX
	ADDQ $64, R13
	SUBQ $16, CX
	JG   iloop
	VZEROUPPER
	RET

// func grad3x16(n int, z0, z1, d *float32, stride int)
// Grad3 on blocks of 16 values, the last one masked.
TEXT ·grad3x16(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ z0+8(FP), SI
	MOVQ z1+16(FP), DI
	MOVQ d+24(FP), DX
	MOVQ stride+32(FP), R12
	SHLQ $2, R12
	LEAQ (DX)(R12*2), R13
	ADDQ R12, R13              // d + 3 runs
	VBROADCASTSS sign<>(SB), Z31 // the sign bit

gloop:
	MOVL  $0xFFFF, BX
	CMPQ  CX, $16
	JGE   gfull
	MOVL  $1, BX
	SHLL  CX, BX
	DECL  BX
gfull:
	KMOVW BX, K1
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DI), K1, Z1
	VADDPS Z1, Z0, Z2          // z0 + z1
	VSUBPS Z1, Z0, Z3          // z0 - z1
	VXORPS Z31, Z1, Z4         // -z1, the sign flipped as Go's negation
	VMOVUPS Z0, K1, (DX)
	VMOVUPS Z2, K1, (DX)(R12*1)
	VMOVUPS Z3, K1, (DX)(R12*2)
	VMOVUPS Z4, K1, (R13)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R13
	SUBQ $16, CX
	JG   gloop
	VZEROUPPER
	RET
