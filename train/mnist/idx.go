package mnist

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"

	"github.com/convnets/convnets/internal/safefile"
	"github.com/pkg/errors"
)

// IDX magic numbers: two zero bytes, the type 0x08 (unsigned byte), the
// number of dimensions.
const (
	labelMagic = 0x00000801
	imageMagic = 0x00000803
	// maxItems bounds the count a header may claim (MNIST has 60,000; EMNIST
	// about 800,000).
	maxItems = 10_000_000
	// maxSide bounds an image side.
	maxSide = 1024
	// maxBytes bounds the payload a header may claim.
	maxBytes = 1 << 32
)

// Images holds the pixels of an IDX image file: N images of Rows x Cols
// bytes, row-major.
type Images struct {
	N, Rows, Cols int
	Pixels        []uint8
}

// ReadImages reads an IDX3 image file, gzipped or not.
func ReadImages(path string) (*Images, error) { return ReadImagesHead(path, 0) }

// ReadImagesHead reads the first limit images of an IDX3 image file (all
// of them for limit 0), gzipped or not; the rest of the file is not read.
func ReadImagesHead(path string, limit int) (*Images, error) {
	var img *Images
	err := readIDX(path, imageMagic, limit, func(dims []uint32) (int64, int64, error) {
		n, r, c := dims[0], dims[1], dims[2]
		if n > maxItems || r == 0 || c == 0 || r > maxSide || c > maxSide {
			return 0, 0, errors.Errorf("header claims %d images of %dx%d", n, r, c)
		}
		img = &Images{N: int(n), Rows: int(r), Cols: int(c)}
		return int64(n), int64(r) * int64(c), nil
	}, func(data []byte) error {
		img.Pixels = data
		img.N = len(data) / (img.Rows * img.Cols)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return img, nil
}

// ReadLabels reads an IDX1 label file, gzipped or not, and checks that every
// label is below classes.
func ReadLabels(path string, classes int) ([]uint8, error) { return ReadLabelsHead(path, classes, 0) }

// ReadLabelsHead reads the first limit labels of an IDX1 label file (all of
// them for limit 0) and checks that each is below classes.
func ReadLabelsHead(path string, classes, limit int) ([]uint8, error) {
	var labels []uint8
	err := readIDX(path, labelMagic, limit, func(dims []uint32) (int64, int64, error) {
		if dims[0] > maxItems {
			return 0, 0, errors.Errorf("header claims %d labels", dims[0])
		}
		return int64(dims[0]), 1, nil
	}, func(data []byte) error {
		for i, l := range data {
			if int(l) >= classes {
				return errors.Errorf("label %d of item %d is not below %d", l, i, classes)
			}
		}
		labels = data
		return nil
	})
	return labels, err
}

// readIDX reads the header, asks size for the items and the bytes per item
// that the dimensions imply, then reads exactly that payload: a file that is
// shorter or longer is an error. With limit > 0, it reads the first limit
// items only (an uncompressed file's size is still checked against its
// header). Memory grows with the bytes really read, never with what the
// header claims.
func readIDX(path string, magic uint32, limit int, size func(dims []uint32) (items, per int64, err error), use func([]byte) error) (err error) {
	defer func() {
		if err != nil {
			err = errors.Wrapf(err, "mnist: %s", path)
		}
	}()
	f, _, err := safefile.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	br := bufio.NewReader(f)
	var r io.Reader = br
	gz := false
	if head, _ := br.Peek(2); bytes.Equal(head, []byte{0x1f, 0x8b}) {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return errors.Wrap(err, "gzip header")
		}
		defer zr.Close()
		r, gz = zr, true
	}
	var hdr [4]byte
	if _, err := io.ReadFull(r, hdr[:]); err != nil {
		return errors.Wrap(noEOF(err), "reading the magic number")
	}
	if got := binary.BigEndian.Uint32(hdr[:]); got != magic {
		return errors.Errorf("magic number %#08x, want %#08x (is this the right IDX file?)", got, magic)
	}
	dims := make([]uint32, magic&0xff)
	if err := binary.Read(r, binary.BigEndian, dims); err != nil {
		return errors.Wrap(noEOF(err), "reading the dimensions")
	}
	items, per, err := size(dims)
	if err != nil {
		return err
	}
	want := items * per
	if want > maxBytes {
		return errors.Errorf("header claims %d bytes of data", want)
	}
	headerLen := int64(4 + 4*len(dims))
	if !gz && st.Size() != headerLen+want {
		return errors.Errorf("file is %d bytes, the header says %d", st.Size(), headerLen+want)
	}
	if limit > 0 && int64(limit) < items {
		data := make([]byte, int64(limit)*per)
		if _, err := io.ReadFull(r, data); err != nil {
			return errors.Wrapf(noEOF(err), "reading the first %d items", limit)
		}
		return use(data)
	}
	data, err := io.ReadAll(io.LimitReader(r, want+1))
	if err != nil {
		return errors.Wrap(err, "reading the data")
	}
	if int64(len(data)) != want {
		if int64(len(data)) > want {
			return errors.Errorf("more data than the header's %d bytes", want)
		}
		return errors.Errorf("truncated: %d bytes of data, the header says %d", len(data), want)
	}
	return use(data)
}

// noEOF turns a bare EOF into a message that says the file is too short.
func noEOF(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return errors.New("file too short")
	}
	return err
}
