package winograd

// Run kernels of F(2x2, 3x3) for the weight gradient's transforms,
// channels last (convnets' graph/winograd_nhwc.go): the same combination
// applied value by value to runs, across the rows of a band and then
// across each tile's columns.

// Input3 writes Bᵀ c of the four runs s0..s3 (n values each) into four
// runs of d, run j at d[j*stride:]: for each i, with c_k = s_k[i],
// d0 = c0 - c2, d1 = c1 + c2, d2 = c2 - c1 and d3 = c1 - c3 (F(2x2, 3x3)'s
// Bᵀ, as InputRow applies it). d's runs must not overlap the inputs;
// with a stride shorter than n the plain loop does all the work.
func Input3(n int, s0, s1, s2, s3, d []float32, stride int) {
	if n <= 0 {
		return
	}
	_, _, _, _, _ = s0[n-1], s1[n-1], s2[n-1], s3[n-1], d[3*stride+n-1] // bounds, checked once
	done := 0
	if stride >= n {
		done = input3Fast(n, s0, s1, s2, s3, d, stride)
	}
	Input3Loop(done, n, s0, s1, s2, s3, d, stride)
}

// Input3Loop is Input3's plain loop over values lo..n, for either float
// type (the assembly's twin, and float64's kernel).
func Input3Loop[F float32 | float64](lo, n int, s0, s1, s2, s3, d []F, stride int) {
	for i := lo; i < n; i++ {
		c1, c2 := s1[i], s2[i]
		d[i], d[stride+i], d[2*stride+i], d[3*stride+i] = s0[i]-c2, c1+c2, c2-c1, c1-s3[i]
	}
}

// Grad3 writes A z of the two runs z0, z1 (n values each) into four runs
// of d, run j at d[j*stride:]: the weight gradient's transform of the
// output gradient, d0 = z0, d1 = z0 + z1, d2 = z0 - z1, d3 = -z1 (A is the
// transpose of F(2x2, 3x3)'s Aᵀ = [1 1 1 0; 0 1 -1 -1]). The runs of d as
// for Input3.
func Grad3(n int, z0, z1, d []float32, stride int) {
	if n <= 0 {
		return
	}
	_, _, _ = z0[n-1], z1[n-1], d[3*stride+n-1]
	done := 0
	if stride >= n {
		done = grad3Fast(n, z0, z1, d, stride)
	}
	Grad3Loop(done, n, z0, z1, d, stride)
}

// Grad3Loop is Grad3's plain loop over values lo..n, for either float
// type.
func Grad3Loop[F float32 | float64](lo, n int, z0, z1, d []F, stride int) {
	for i := lo; i < n; i++ {
		a, c := z0[i], z1[i]
		d[i], d[stride+i], d[2*stride+i], d[3*stride+i] = a, a+c, a-c, -c
	}
}
