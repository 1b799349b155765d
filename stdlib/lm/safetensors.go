package lm

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"

	"github.com/gomlx/compute/dtypes/bfloat16"
	"github.com/gomlx/compute/dtypes/float16"
)

// TensorInfo describes one tensor of a safetensors file.
type TensorInfo struct {
	Name  string
	DType string // safetensors dtype: "F32", "BF16", "F16", ...
	Shape []int
	File  string // the file that holds it
	Start int64  // absolute byte offset of its data in File
	Size  int64  // bytes
}

// NumElements is the product of the shape.
func (t TensorInfo) NumElements() int64 {
	n := int64(1)
	for _, d := range t.Shape {
		n *= int64(d)
	}
	return n
}

// dtypeSize is the element size of the safetensors dtypes this package
// understands; other dtypes are listed with size 0 (readable header,
// unreadable data).
func dtypeSize(dt string) int {
	switch dt {
	case "F32", "I32", "U32":
		return 4
	case "BF16", "F16", "I16", "U16":
		return 2
	case "F64", "I64", "U64":
		return 8
	case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2":
		return 1
	}
	return 0
}

// Safetensors is a set of safetensors files read as one checkpoint: a single
// model.safetensors, or shards listed by model.safetensors.index.json.
type Safetensors struct {
	Tensors  map[string]TensorInfo
	Metadata map[string]string
	files    map[string]*os.File
}

// ErrNoWeights is returned by OpenSafetensors for a directory without
// model.safetensors or model.safetensors.index.json (a config-only model).
var ErrNoWeights = errors.New("no model.safetensors or model.safetensors.index.json")

// OpenSafetensors opens the checkpoint in dir: model.safetensors.index.json
// when present (sharded), else model.safetensors. path may also name one
// .safetensors file.
func OpenSafetensors(path string) (*Safetensors, error) {
	st := &Safetensors{Tensors: map[string]TensorInfo{}, files: map[string]*os.File{}}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		if err := st.addFile(path, nil); err != nil {
			st.Close()
			return nil, err
		}
		return st, nil
	}
	index := filepath.Join(path, "model.safetensors.index.json")
	if data, err := os.ReadFile(index); err == nil {
		var idx struct {
			Metadata  map[string]any    `json:"metadata"`
			WeightMap map[string]string `json:"weight_map"`
		}
		if err := json.Unmarshal(data, &idx); err != nil {
			return nil, fmt.Errorf("%s: %w", index, err)
		}
		byFile := map[string]map[string]bool{}
		for name, file := range idx.WeightMap {
			if byFile[file] == nil {
				byFile[file] = map[string]bool{}
			}
			byFile[file][name] = true
		}
		files := make([]string, 0, len(byFile))
		for f := range byFile {
			files = append(files, f)
		}
		sort.Strings(files)
		for _, f := range files {
			if err := st.addFile(filepath.Join(path, f), byFile[f]); err != nil {
				st.Close()
				return nil, err
			}
		}
		for name, file := range idx.WeightMap {
			if _, ok := st.Tensors[name]; !ok {
				st.Close()
				return nil, fmt.Errorf("tensor %q: listed in %s for %s but not in that file", name, filepath.Base(index), file)
			}
		}
		return st, nil
	}
	single := filepath.Join(path, "model.safetensors")
	if _, err := os.Stat(single); err != nil {
		return nil, fmt.Errorf("%s: %w", path, ErrNoWeights)
	}
	if err := st.addFile(single, nil); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// addFile parses one file's header. When want is not nil, only the tensors it
// names are registered (the index is the authority for sharded checkpoints).
func (st *Safetensors) addFile(path string, want map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	st.files[path] = f
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	var lenBuf [8]byte
	if _, err := io.ReadFull(f, lenBuf[:]); err != nil {
		return fmt.Errorf("%s: reading header length: %w", path, err)
	}
	hlen := binary.LittleEndian.Uint64(lenBuf[:])
	if hlen > 100<<20 || int64(hlen)+8 > fi.Size() {
		return fmt.Errorf("%s: bad header length %d (file is %d bytes)", path, hlen, fi.Size())
	}
	hdr := make([]byte, hlen)
	if _, err := io.ReadFull(f, hdr); err != nil {
		return fmt.Errorf("%s: reading header: %w", path, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(hdr, &raw); err != nil {
		return fmt.Errorf("%s: header: %w", path, err)
	}
	dataStart := int64(8 + hlen)
	dataLen := fi.Size() - dataStart
	for name, msg := range raw {
		if name == "__metadata__" {
			var md map[string]string
			if err := json.Unmarshal(msg, &md); err == nil {
				if st.Metadata == nil {
					st.Metadata = map[string]string{}
				}
				for k, v := range md {
					st.Metadata[k] = v
				}
			}
			continue
		}
		if want != nil && !want[name] {
			continue
		}
		var e struct {
			DType   string  `json:"dtype"`
			Shape   []int   `json:"shape"`
			Offsets []int64 `json:"data_offsets"`
		}
		if err := json.Unmarshal(msg, &e); err != nil {
			return fmt.Errorf("%s: tensor %q: %w", path, name, err)
		}
		if len(e.Offsets) == 2 && e.Offsets[0] >= 0 && e.Offsets[1] >= e.Offsets[0] && e.Offsets[1] > dataLen {
			return fmt.Errorf("%s: truncated: tensor %q ends at byte %d of the data section, which holds %d bytes (file is %d bytes, the header needs at least %d)",
				path, name, e.Offsets[1], dataLen, fi.Size(), dataStart+e.Offsets[1])
		}
		if len(e.Offsets) != 2 || e.Offsets[0] < 0 || e.Offsets[1] < e.Offsets[0] {
			return fmt.Errorf("%s: tensor %q: bad data_offsets %v (data section is %d bytes)", path, name, e.Offsets, dataLen)
		}
		ti := TensorInfo{Name: name, DType: e.DType, Shape: e.Shape, File: path,
			Start: dataStart + e.Offsets[0], Size: e.Offsets[1] - e.Offsets[0]}
		if sz := dtypeSize(e.DType); sz > 0 && ti.NumElements()*int64(sz) != ti.Size {
			return fmt.Errorf("%s: tensor %q: %d bytes of data for shape %v of %s (want %d)",
				path, name, ti.Size, e.Shape, e.DType, ti.NumElements()*int64(sz))
		}
		if _, dup := st.Tensors[name]; dup {
			return fmt.Errorf("%s: tensor %q appears in more than one file", path, name)
		}
		st.Tensors[name] = ti
	}
	return nil
}

// Names lists the tensor names, sorted.
func (st *Safetensors) Names() []string {
	names := make([]string, 0, len(st.Tensors))
	for n := range st.Tensors {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ReadFloat32 reads a float tensor (F32, BF16 or F16) converted to float32.
func (st *Safetensors) ReadFloat32(name string) ([]float32, TensorInfo, error) {
	ti, ok := st.Tensors[name]
	if !ok {
		return nil, ti, fmt.Errorf("tensor %q: missing from checkpoint", name)
	}
	raw := make([]byte, ti.Size)
	if _, err := st.files[ti.File].ReadAt(raw, ti.Start); err != nil {
		return nil, ti, fmt.Errorf("tensor %q: reading %s: %w", name, ti.File, err)
	}
	out := make([]float32, ti.NumElements())
	switch ti.DType {
	case "F32":
		for i := range out {
			out[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
	case "BF16":
		for i := range out {
			out[i] = bfloat16.BFloat16(binary.LittleEndian.Uint16(raw[2*i:])).Float32()
		}
	case "F16":
		for i := range out {
			out[i] = float16.FromBits(binary.LittleEndian.Uint16(raw[2*i:])).Float32()
		}
	default:
		return nil, ti, fmt.Errorf("tensor %q: dtype %s is not a supported float dtype (F32, BF16, F16)", name, ti.DType)
	}
	return out, ti, nil
}

// Close closes the files.
func (st *Safetensors) Close() error {
	var first error
	for _, f := range st.files {
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	st.files = map[string]*os.File{}
	return first
}

// NamedTensor is one tensor to write: float32 values stored as DType.
type NamedTensor struct {
	Name  string
	DType string // "F32", "BF16" or "F16"
	Shape []int
	Data  []float32
}

func encodeFloats(dt string, data []float32) ([]byte, error) {
	switch dt {
	case "F32", "":
		b := make([]byte, 4*len(data))
		for i, v := range data {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
		}
		return b, nil
	case "BF16":
		b := make([]byte, 2*len(data))
		for i, v := range data {
			binary.LittleEndian.PutUint16(b[2*i:], uint16(bfloat16.FromFloat32(v)))
		}
		return b, nil
	case "F16":
		b := make([]byte, 2*len(data))
		for i, v := range data {
			binary.LittleEndian.PutUint16(b[2*i:], float16.FromFloat32(v).Bits())
		}
		return b, nil
	}
	return nil, fmt.Errorf("unsupported dtype %q for writing", dt)
}

// WriteSafetensors writes tensors (in the given order) to one safetensors
// file, with optional string metadata (e.g. {"format": "pt"}).
func WriteSafetensors(path string, ts []NamedTensor, metadata map[string]string) error {
	header := map[string]any{}
	if len(metadata) > 0 {
		header["__metadata__"] = metadata
	}
	var blobs [][]byte
	var off int64
	for _, t := range ts {
		n := 1
		for _, d := range t.Shape {
			n *= d
		}
		if n != len(t.Data) {
			return fmt.Errorf("tensor %q: %d values for shape %v", t.Name, len(t.Data), t.Shape)
		}
		b, err := encodeFloats(t.DType, t.Data)
		if err != nil {
			return fmt.Errorf("tensor %q: %w", t.Name, err)
		}
		dt := t.DType
		if dt == "" {
			dt = "F32"
		}
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		header[t.Name] = map[string]any{"dtype": dt, "shape": shape, "data_offsets": []int64{off, off + int64(len(b))}}
		off += int64(len(b))
		blobs = append(blobs, b)
	}
	hdr, err := json.Marshal(header)
	if err != nil {
		return err
	}
	for len(hdr)%8 != 0 { // the format recommends 8-byte alignment of the data section
		hdr = append(hdr, ' ')
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	var lenBuf [8]byte
	binary.LittleEndian.PutUint64(lenBuf[:], uint64(len(hdr)))
	if _, err := f.Write(lenBuf[:]); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(hdr); err != nil {
		f.Close()
		return err
	}
	for _, b := range blobs {
		if _, err := f.Write(b); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

// WriteShardedSafetensors writes tensors into DIR as model.safetensors when
// they fit in maxShardBytes (or maxShardBytes <= 0), else as
// model-0000i-of-0000n.safetensors shards plus model.safetensors.index.json.
func WriteShardedSafetensors(dir string, ts []NamedTensor, maxShardBytes int64) error {
	md := map[string]string{"format": "pt"}
	var total int64
	sizes := make([]int64, len(ts))
	for i, t := range ts {
		sz := int64(dtypeSize(t.DType))
		if t.DType == "" {
			sz = 4
		}
		sizes[i] = sz * int64(len(t.Data))
		total += sizes[i]
	}
	if maxShardBytes <= 0 || total <= maxShardBytes {
		return WriteSafetensors(filepath.Join(dir, "model.safetensors"), ts, md)
	}
	var shards [][]NamedTensor
	var cur []NamedTensor
	var curSize int64
	for i, t := range ts {
		if len(cur) > 0 && curSize+sizes[i] > maxShardBytes {
			shards = append(shards, cur)
			cur, curSize = nil, 0
		}
		cur = append(cur, t)
		curSize += sizes[i]
	}
	if len(cur) > 0 {
		shards = append(shards, cur)
	}
	weightMap := map[string]string{}
	for i, sh := range shards {
		name := fmt.Sprintf("model-%05d-of-%05d.safetensors", i+1, len(shards))
		if err := WriteSafetensors(filepath.Join(dir, name), sh, md); err != nil {
			return err
		}
		for _, t := range sh {
			weightMap[t.Name] = name
		}
	}
	idx := map[string]any{"metadata": map[string]any{"total_size": total}, "weight_map": weightMap}
	data, err := json.MarshalIndent(idx, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "model.safetensors.index.json"), append(data, '\n'), 0o644)
}
