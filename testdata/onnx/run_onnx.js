// Runs an ONNX model with ONNX Runtime (npm's onnxruntime-node, CPU) on a
// batch of float32 images, for convnets' export test:
//
//   node run_onnx.js MODEL.onnx INPUT.f32 N C H W
//
// INPUT.f32 holds N*C*H*W little-endian float32 values. Prints one JSON line:
// {"logits": [[...], ...], "opset": ...}.
const ort = require("onnxruntime-node");
const fs = require("fs");

async function main() {
  const [model, input, n, c, h, w] = process.argv.slice(2);
  const shape = [n, c, h, w].map(Number);
  const buf = fs.readFileSync(input);
  const data = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  const session = await ort.InferenceSession.create(model, { executionProviders: ["cpu"] });
  const out = await session.run({ input: new ort.Tensor("float32", data, shape) });
  const logits = out.logits;
  const k = logits.dims[1];
  const rows = [];
  for (let i = 0; i < logits.dims[0]; i++) rows.push(Array.from(logits.data.slice(i * k, (i + 1) * k)));
  console.log(JSON.stringify({ logits: rows }));
}

main().catch(err => { console.error(err.message || String(err)); process.exit(1); });
