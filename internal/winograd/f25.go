package winograd

// The kernels of F(2x2, 5x5), on 6x6 tiles (convnets' graph/winograd5.go
// holds the matrices). Each combines six runs of values into others, value
// by value, so that the same kernel serves both halves of a transform:
// across the six rows of a tile row, and across the six columns of its
// tiles once the rows' even and odd values are apart.

// Input5 writes Bᵀ c of the six runs s0..s5 (n values each) into six runs
// of d, run j at d[j*stride:]: for each i, with c_k = s_k[i],
//
//	d0 = 2c0 - 3c1 - 4c2 + 3c3 + 2c4
//	d1 = c2 - 2c1 + 5c3 + 2c4
//	d2 = 5c2 - 2c1 - c3 - 2c4
//	d3 = 2c1 + c2 - 2c3 - c4
//	d4 = c1 - 2c2 - c3 + 2c4
//	d5 = 2c1 - 3c2 - 4c3 + 3c4 + 2c5
//
// each summed from the left. d's runs must not overlap the inputs; with a
// stride shorter than n (runs overlapping each other) the plain loop does
// all the work, later runs overwriting earlier ones value by value.
func Input5(n int, s0, s1, s2, s3, s4, s5, d []float32, stride int) {
	if n <= 0 {
		return
	}
	_, _, _, _, _, _, _ = s0[n-1], s1[n-1], s2[n-1], s3[n-1], s4[n-1], s5[n-1], d[5*stride+n-1] // bounds, checked once
	done := 0
	if stride >= n { // runs apart: the assembly's blocks give the loop's values
		done = input5Fast(n, s0, s1, s2, s3, s4, s5, d, stride)
	}
	Input5Loop(done, n, s0, s1, s2, s3, s4, s5, d, stride)
}

// Input5Loop is Input5's plain loop over values lo..n, for either float
// type (the assembly's twin, and float64's kernel). The conversions keep
// the products by 3 and 5 rounded on their own, as the assembly does,
// where a compiler could otherwise fuse them into the sums.
func Input5Loop[F float32 | float64](lo, n int, s0, s1, s2, s3, s4, s5, d []F, stride int) {
	for i := lo; i < n; i++ {
		c0, c1, c2, c3, c4, c5 := s0[i], s1[i], s2[i], s3[i], s4[i], s5[i]
		d[i] = 2*c0 - F(3*c1) - 4*c2 + F(3*c3) + 2*c4
		d[stride+i] = c2 - 2*c1 + F(5*c3) + 2*c4
		d[2*stride+i] = F(5*c2) - 2*c1 - c3 - 2*c4
		d[3*stride+i] = 2*c1 + c2 - 2*c3 - c4
		d[4*stride+i] = c1 - 2*c2 - c3 + 2*c4
		d[5*stride+i] = 2*c1 - F(3*c2) - 4*c3 + F(3*c4) + 2*c5
	}
}

// Output5 writes Aᵀ m of the six runs m0..m5 into y0 and y1: for each i,
// y0 = m0 + m1 + m2 + m3 + m4 and y1 = m1 - m2 + m3/2 - 2m4 + m5, each
// summed from the left.
func Output5(n int, m0, m1, m2, m3, m4, m5, y0, y1 []float32) {
	if n <= 0 {
		return
	}
	_, _, _, _, _, _, _, _ = m0[n-1], m1[n-1], m2[n-1], m3[n-1], m4[n-1], m5[n-1], y0[n-1], y1[n-1]
	done := output5Fast(n, m0, m1, m2, m3, m4, m5, y0, y1)
	Output5Loop(done, n, m0, m1, m2, m3, m4, m5, y0, y1)
}

// Output5Loop is Output5's plain loop over values lo..n, for either float
// type.
func Output5Loop[F float32 | float64](lo, n int, m0, m1, m2, m3, m4, m5, y0, y1 []F) {
	for i := lo; i < n; i++ {
		a1, a2, a3, a4 := m1[i], m2[i], m3[i], m4[i]
		y0[i] = m0[i] + a1 + a2 + a3 + a4
		y1[i] = a1 - a2 + F(a3/2) - 2*a4 + m5[i]
	}
}

// Grad5 writes A z of the two runs z0, z1 (n values each) into six runs of
// d, run j at d[j*stride:]: the weight gradient's transform of the output
// gradient, d0 = z0, d1 = z0 + z1, d2 = z0 - z1, d3 = z0 + z1/2,
// d4 = z0 - 2z1, d5 = z1. The runs of d as for Input5.
func Grad5(n int, z0, z1, d []float32, stride int) {
	if n <= 0 {
		return
	}
	_, _, _ = z0[n-1], z1[n-1], d[5*stride+n-1]
	done := 0
	if stride >= n {
		done = grad5Fast(n, z0, z1, d, stride)
	}
	Grad5Loop(done, n, z0, z1, d, stride)
}

// Grad5Loop is Grad5's plain loop over values lo..n, for either float
// type.
func Grad5Loop[F float32 | float64](lo, n int, z0, z1, d []F, stride int) {
	for i := lo; i < n; i++ {
		a, c := z0[i], z1[i]
		d[i], d[stride+i], d[2*stride+i] = a, a+c, a-c
		d[3*stride+i], d[4*stride+i], d[5*stride+i] = a+F(c/2), a-2*c, c
	}
}
