// Turns a few workbench screenshots into a small animated GIF (the README's demo): PNG frames
// from Playwright are decoded with pngjs, shrunk by averaging pixel blocks, and encoded with
// gifenc against one palette shared by every frame, so the colours do not flicker between frames;
// each frame after the first keeps only the pixels that changed. Only the e2e suite uses it; nothing here ships.
import { writeFile } from 'node:fs/promises';
import gifenc from 'gifenc';
import pngjs from 'pngjs';

const { GIFEncoder, quantize, applyPalette } = gifenc;
const { PNG } = pngjs;

export class GifRecorder {
  /** @param {{ width: number }} options the GIF's width; the height keeps the frames' aspect. */
  constructor({ width }) {
    this.width = width;
    /** @type {{ rgba: Uint8Array, width: number, height: number, delay: number }[]} */
    this.frames = [];
  }

  /** Adds a PNG screenshot shown for `delayMs`. */
  add(png, delayMs) {
    const image = PNG.sync.read(png);
    this.frames.push({ ...shrink(image.data, image.width, image.height, this.width), delay: delayMs });
  }

  /** Encodes the frames and writes the GIF; returns its size in bytes. */
  async write(file) {
    if (this.frames.length === 0) throw new Error('GifRecorder.write: no frames were added');
    const { width, height } = this.frames[0];
    for (const frame of this.frames) {
      if (frame.width !== width || frame.height !== height) throw new Error(`GifRecorder: a frame is ${frame.width}x${frame.height}, the first ${width}x${height}`);
    }
    // 255 colours for the pictures; the last entry marks "as in the frame before", so a frame
    // after the first stores only what changed, which LZW squeezes to almost nothing.
    const palette = quantize(paletteSample(this.frames), 255);
    const unchanged = palette.length;
    palette.push([0, 0, 0]);
    const gif = GIFEncoder();
    let previous;
    for (const frame of this.frames) {
      const index = applyPalette(frame.rgba, palette.slice(0, unchanged));
      let pixels = index;
      if (previous) {
        pixels = index.slice();
        for (let i = 0; i < pixels.length; i++) if (index[i] === previous[i]) pixels[i] = unchanged;
      }
      gif.writeFrame(pixels, width, height, {
        palette, delay: frame.delay, repeat: 0, dispose: 1,
        ...(previous ? { transparent: true, transparentIndex: unchanged } : {}),
      });
      previous = index;
    }
    gif.finish();
    const bytes = gif.bytes();
    await writeFile(file, bytes);
    return bytes.length;
  }
}

/** The image scaled to `targetWidth` (never up) by averaging each block of source pixels. */
function shrink(data, width, height, targetWidth) {
  const scale = Math.max(1, width / targetWidth);
  const outWidth = Math.round(width / scale);
  const outHeight = Math.round(height / scale);
  const rgba = new Uint8Array(outWidth * outHeight * 4);
  for (let y = 0; y < outHeight; y++) {
    const y0 = Math.floor(y * scale);
    const y1 = Math.min(height, Math.max(y0 + 1, Math.floor((y + 1) * scale)));
    for (let x = 0; x < outWidth; x++) {
      const x0 = Math.floor(x * scale);
      const x1 = Math.min(width, Math.max(x0 + 1, Math.floor((x + 1) * scale)));
      let r = 0, g = 0, b = 0, n = 0;
      for (let sy = y0; sy < y1; sy++) {
        for (let sx = x0; sx < x1; sx++) {
          const at = (sy * width + sx) * 4;
          r += data[at]; g += data[at + 1]; b += data[at + 2]; n++;
        }
      }
      const out = (y * outWidth + x) * 4;
      rgba[out] = r / n; rgba[out + 1] = g / n; rgba[out + 2] = b / n; rgba[out + 3] = 255;
    }
  }
  return { rgba, width: outWidth, height: outHeight };
}

/** Pixels of every frame (every 4th one), for one palette that fits them all. */
function paletteSample(frames) {
  const step = 4;
  const total = frames.reduce((sum, frame) => sum + Math.ceil(frame.rgba.length / 4 / step), 0);
  const sample = new Uint8Array(total * 4);
  let at = 0;
  for (const { rgba } of frames) {
    for (let pixel = 0; pixel < rgba.length / 4; pixel += step) {
      sample.set(rgba.subarray(pixel * 4, pixel * 4 + 4), at);
      at += 4;
    }
  }
  return sample;
}
