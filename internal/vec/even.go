package vec

import "unsafe"

// Even copies every other value of src into dst, from the first:
// dst[i] = src[2*i]. src must hold 2*len(dst)-1 values or more.
func Even[T float32 | float64 | int32](dst, src []T) {
	if len(dst) == 0 {
		return
	}
	_ = src[2*len(dst)-2]
	i := 0
	switch d := any(&dst).(type) {
	case *[]float32:
		i = evenFast(*d, *any(&src).(*[]float32))
	case *[]int32: // the same moves of 4-byte values
		s := *any(&src).(*[]int32)
		i = evenFast(unsafe.Slice((*float32)(unsafe.Pointer(&(*d)[0])), len(*d)), unsafe.Slice((*float32)(unsafe.Pointer(&s[0])), len(s)))
	}
	for ; i < len(dst); i++ {
		dst[i] = src[2*i]
	}
}
