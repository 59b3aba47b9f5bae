// Evaluates an ONNX model with ONNX Runtime (npm's onnxruntime-node, CPU) on
// the test set of an IDX folder (MNIST or Fashion-MNIST), preprocessed as
// convnets feeds its networks: pixels / 255, bilinear resizing to H x W
// (half-pixel centres, PyTorch's interpolate with align_corners=False) when
// the network's input differs from 28x28, then (x - mean) / std when given.
//
//   node eval_onnx.js MODEL.onnx IDX_FOLDER H W [MEAN STD]
//
// Prints one JSON line: {"n": ..., "correct": ..., "accuracy": ...}.
const ort = require("onnxruntime-node");
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");

function readIDX(dir, name) {
  for (const f of [name + ".gz", name]) {
    const p = path.join(dir, f);
    if (fs.existsSync(p)) {
      const b = fs.readFileSync(p);
      return f.endsWith(".gz") ? zlib.gunzipSync(b) : b;
    }
  }
  throw new Error("no " + name + " in " + dir);
}

// bilinear resizes one 28x28 image (floats) to h x w.
function bilinear(src, s, h, w) {
  const dst = new Float32Array(h * w);
  const sy = s / h, sx = s / w;
  for (let y = 0; y < h; y++) {
    const fy = Math.max(0, (y + 0.5) * sy - 0.5);
    const y0 = Math.min(Math.floor(fy), s - 1), y1 = Math.min(y0 + 1, s - 1), dy = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.max(0, (x + 0.5) * sx - 0.5);
      const x0 = Math.min(Math.floor(fx), s - 1), x1 = Math.min(x0 + 1, s - 1), dx = fx - x0;
      const top = src[y0 * s + x0] * (1 - dx) + src[y0 * s + x1] * dx;
      const bot = src[y1 * s + x0] * (1 - dx) + src[y1 * s + x1] * dx;
      dst[y * w + x] = top * (1 - dy) + bot * dy;
    }
  }
  return dst;
}

async function main() {
  const [model, dir, hs, ws, mean, std] = process.argv.slice(2);
  const h = Number(hs), w = Number(ws);
  const images = readIDX(dir, "t10k-images-idx3-ubyte"), labels = readIDX(dir, "t10k-labels-idx1-ubyte");
  const n = images.readUInt32BE(4), side = images.readUInt32BE(8);
  const session = await ort.InferenceSession.create(model, { executionProviders: ["cpu"] });
  let correct = 0;
  const batch = 100;
  for (let start = 0; start < n; start += batch) {
    const m = Math.min(batch, n - start);
    const data = new Float32Array(m * h * w);
    for (let i = 0; i < m; i++) {
      const off = 16 + (start + i) * side * side;
      let img = new Float32Array(side * side);
      for (let j = 0; j < side * side; j++) img[j] = images[off + j] / 255;
      if (h !== side || w !== side) img = bilinear(img, side, h, w);
      if (std !== undefined) for (let j = 0; j < img.length; j++) img[j] = (img[j] - Number(mean)) / Number(std);
      data.set(img, i * h * w);
    }
    const out = await session.run({ input: new ort.Tensor("float32", data, [m, 1, h, w]) });
    const k = out.logits.dims[1];
    for (let i = 0; i < m; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (out.logits.data[i * k + c] > out.logits.data[i * k + best]) best = c;
      if (best === labels[8 + start + i]) correct++;
    }
  }
  console.log(JSON.stringify({ n, correct, accuracy: correct / n }));
}

main().catch(err => { console.error(err.message || String(err)); process.exit(1); });
