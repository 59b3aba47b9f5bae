//go:build !purego

#include "textflag.h"

DATA three<>+0(SB)/4, $0x40400000
GLOBL three<>(SB), RODATA|NOPTR, $4
DATA five<>+0(SB)/4, $0x40a00000
GLOBL five<>(SB), RODATA|NOPTR, $4
DATA half<>+0(SB)/4, $0x3f000000
GLOBL half<>(SB), RODATA|NOPTR, $4

// func input5x16(n int, s0, s1, s2, s3, s4, s5, d *float32, stride int)
// Input5 on blocks of 16 values, the last one masked to what is left; the
// operations of Input5Loop in its order (2x and 4x as sums, exact like
// the products).
TEXT ·input5x16(SB), NOSPLIT, $0-72
	MOVQ n+0(FP), CX
	MOVQ s0+8(FP), SI
	MOVQ s1+16(FP), DI
	MOVQ s2+24(FP), R8
	MOVQ s3+32(FP), R9
	MOVQ s4+40(FP), R10
	MOVQ s5+48(FP), R11
	MOVQ d+56(FP), DX
	MOVQ stride+64(FP), R12
	SHLQ $2, R12               // bytes between d's runs
	LEAQ (DX)(R12*2), R13
	ADDQ R12, R13              // d + 3 runs
	VBROADCASTSS three<>(SB), Z30
	VBROADCASTSS five<>(SB), Z31

loop:
	MOVL  $0xFFFF, BX
	CMPQ  CX, $16
	JGE   full
	MOVL  $1, BX
	SHLL  CX, BX
	DECL  BX
full:
	KMOVW BX, K1
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DI), K1, Z1
	VMOVUPS.Z (R8), K1, Z2
	VMOVUPS.Z (R9), K1, Z3
	VMOVUPS.Z (R10), K1, Z4
	VMOVUPS.Z (R11), K1, Z5
	VADDPS Z1, Z1, Z6          // 2c1
	VADDPS Z2, Z2, Z7          // 2c2
	VADDPS Z3, Z3, Z8          // 2c3
	VADDPS Z4, Z4, Z9          // 2c4
	VADDPS Z0, Z0, Z10         // 2c0
	VADDPS Z5, Z5, Z11         // 2c5
	VADDPS Z7, Z7, Z12         // 4c2
	VADDPS Z8, Z8, Z13         // 4c3
	VMULPS Z30, Z1, Z14        // 3c1
	VMULPS Z30, Z2, Z15        // 3c2
	VMULPS Z30, Z3, Z16        // 3c3
	VMULPS Z30, Z4, Z17        // 3c4
	VMULPS Z31, Z2, Z18        // 5c2
	VMULPS Z31, Z3, Z19        // 5c3

	VSUBPS Z14, Z10, Z20       // d0 = 2c0 - 3c1
	VSUBPS Z12, Z20, Z20       //      - 4c2
	VADDPS Z16, Z20, Z20       //      + 3c3
	VADDPS Z9, Z20, Z20        //      + 2c4
	VSUBPS Z6, Z2, Z21         // d1 = c2 - 2c1
	VADDPS Z19, Z21, Z21       //      + 5c3
	VADDPS Z9, Z21, Z21        //      + 2c4
	VSUBPS Z6, Z18, Z22        // d2 = 5c2 - 2c1
	VSUBPS Z3, Z22, Z22        //      - c3
	VSUBPS Z9, Z22, Z22        //      - 2c4
	VADDPS Z2, Z6, Z23         // d3 = 2c1 + c2
	VSUBPS Z8, Z23, Z23        //      - 2c3
	VSUBPS Z4, Z23, Z23        //      - c4
	VSUBPS Z7, Z1, Z24         // d4 = c1 - 2c2
	VSUBPS Z3, Z24, Z24        //      - c3
	VADDPS Z9, Z24, Z24        //      + 2c4
	VSUBPS Z15, Z6, Z25        // d5 = 2c1 - 3c2
	VSUBPS Z13, Z25, Z25       //      - 4c3
	VADDPS Z17, Z25, Z25       //      + 3c4
	VADDPS Z11, Z25, Z25       //      + 2c5

	VMOVUPS Z20, K1, (DX)
	VMOVUPS Z21, K1, (DX)(R12*1)
	VMOVUPS Z22, K1, (DX)(R12*2)
	VMOVUPS Z23, K1, (R13)
	VMOVUPS Z24, K1, (DX)(R12*4)
	VMOVUPS Z25, K1, (R13)(R12*2)

	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, R11
	ADDQ $64, DX
	ADDQ $64, R13
	SUBQ $16, CX
	JG   loop
	VZEROUPPER
	RET

// func output5x16(n int, m0, m1, m2, m3, m4, m5, y0, y1 *float32)
// Output5 on blocks of 16 values, the last one masked: y0 = (((m0 + m1) +
// m2) + m3) + m4, y1 = (((m1 - m2) + m3/2) - 2m4) + m5.
TEXT ·output5x16(SB), NOSPLIT, $0-72
	MOVQ n+0(FP), CX
	MOVQ m0+8(FP), SI
	MOVQ m1+16(FP), DI
	MOVQ m2+24(FP), R8
	MOVQ m3+32(FP), R9
	MOVQ m4+40(FP), R10
	MOVQ m5+48(FP), R11
	MOVQ y0+56(FP), DX
	MOVQ y1+64(FP), R12
	VBROADCASTSS half<>(SB), Z30

oloop:
	MOVL  $0xFFFF, BX
	CMPQ  CX, $16
	JGE   ofull
	MOVL  $1, BX
	SHLL  CX, BX
	DECL  BX
ofull:
	KMOVW BX, K1
	VMOVUPS.Z (SI), K1, Z0
	VMOVUPS.Z (DI), K1, Z1
	VMOVUPS.Z (R8), K1, Z2
	VMOVUPS.Z (R9), K1, Z3
	VMOVUPS.Z (R10), K1, Z4
	VMOVUPS.Z (R11), K1, Z5
	VADDPS Z1, Z0, Z6
	VADDPS Z2, Z6, Z6
	VADDPS Z3, Z6, Z6
	VADDPS Z4, Z6, Z6          // y0
	VMULPS Z30, Z3, Z8         // m3/2
	VADDPS Z4, Z4, Z9          // 2m4
	VSUBPS Z2, Z1, Z7
	VADDPS Z8, Z7, Z7
	VSUBPS Z9, Z7, Z7
	VADDPS Z5, Z7, Z7          // y1
	VMOVUPS Z6, K1, (DX)
	VMOVUPS Z7, K1, (R12)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, R8
	ADDQ $64, R9
	ADDQ $64, R10
	ADDQ $64, R11
	ADDQ $64, DX
	ADDQ $64, R12
	SUBQ $16, CX
	JG   oloop
	VZEROUPPER
	RET

// func grad5x16(n int, z0, z1, d *float32, stride int)
// Grad5 on blocks of 16 values, the last one masked.
TEXT ·grad5x16(SB), NOSPLIT, $0-40
	MOVQ n+0(FP), CX
	MOVQ z0+8(FP), SI
	MOVQ z1+16(FP), DI
	MOVQ d+24(FP), DX
	MOVQ stride+32(FP), R12
	SHLQ $2, R12
	LEAQ (DX)(R12*2), R13
	ADDQ R12, R13              // d + 3 runs
	VBROADCASTSS half<>(SB), Z30

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
	VMULPS Z30, Z1, Z4
	VADDPS Z4, Z0, Z4          // z0 + z1/2
	VADDPS Z1, Z1, Z5
	VSUBPS Z5, Z0, Z5          // z0 - 2z1
	VMOVUPS Z0, K1, (DX)
	VMOVUPS Z2, K1, (DX)(R12*1)
	VMOVUPS Z3, K1, (DX)(R12*2)
	VMOVUPS Z4, K1, (R13)
	VMOVUPS Z5, K1, (DX)(R12*4)
	VMOVUPS Z1, K1, (R13)(R12*2)
	ADDQ $64, SI
	ADDQ $64, DI
	ADDQ $64, DX
	ADDQ $64, R13
	SUBQ $16, CX
	JG   gloop
	VZEROUPPER
	RET
