/**
 * Renders the catalog's product images (public/products/<id>.png, 800x800) from small vector
 * illustrations: `npx tsx local/seed/render-images.ts`. The PNGs are committed; this script only
 * needs to run again when the catalog changes. It uses sharp, which Next.js installs for its
 * image optimizer.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATALOG, type ArtShape, type CatalogProduct } from './catalog';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Darker or lighter shade of a #rrggbb colour (amount -1..1). */
function shade(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const channel = (shift: number): number => {
    const c = (n >> shift) & 255;
    const v = amount < 0 ? c * (1 + amount) : c + (255 - c) * amount;
    return Math.max(0, Math.min(255, Math.round(v)));
  };
  return `#${[16, 8, 0].map((s) => channel(s).toString(16).padStart(2, '0')).join('')}`;
}

function drawing(shape: ArtShape, base: string, accent: string): string {
  const dark = shade(base, -0.25);
  const light = shade(base, 0.25);
  switch (shape) {
    case 'mug':
      return `<path d="M560 330 h40 a70 70 0 0 1 0 140 h-40" fill="none" stroke="${dark}" stroke-width="34"/>
        <rect x="230" y="270" width="340" height="300" rx="40" fill="${base}"/>
        <rect x="230" y="270" width="340" height="50" rx="25" fill="${light}"/>
        <ellipse cx="400" cy="285" rx="150" ry="16" fill="${dark}"/>
        <rect x="270" y="360" width="40" height="170" rx="20" fill="${accent}" opacity="0.35"/>`;
    case 'bag':
      return `<path d="M310 290 q0 -110 90 -110 q90 0 90 110" fill="none" stroke="${dark}" stroke-width="26"/>
        <rect x="230" y="280" width="340" height="330" rx="50" fill="${base}"/>
        <rect x="290" y="400" width="220" height="150" rx="30" fill="${dark}"/>
        <rect x="290" y="400" width="220" height="40" rx="20" fill="${accent}"/>
        <circle cx="400" cy="330" r="16" fill="${accent}"/>`;
    case 'bottle':
      return `<rect x="355" y="150" width="90" height="70" rx="18" fill="${accent}"/>
        <path d="M340 230 h120 q40 40 40 110 v250 q0 30 -30 30 h-140 q-30 0 -30 -30 v-250 q0 -70 40 -110 z" fill="${base}"/>
        <rect x="300" y="380" width="200" height="110" fill="${dark}"/>
        <rect x="320" y="260" width="26" height="320" rx="13" fill="${light}" opacity="0.6"/>`;
    case 'book':
      return `<rect x="250" y="190" width="320" height="420" rx="18" fill="${dark}"/>
        <rect x="230" y="180" width="320" height="420" rx="18" fill="${base}"/>
        <rect x="230" y="180" width="40" height="420" rx="14" fill="${dark}"/>
        <rect x="320" y="260" width="170" height="70" rx="8" fill="${accent}"/>
        <rect x="500" y="180" width="22" height="150" fill="${accent}"/>
        <path d="M500 330 l11 -18 l11 18 z" fill="${base}"/>`;
    case 'lamp':
      return `<ellipse cx="400" cy="600" rx="130" ry="26" fill="${dark}"/>
        <path d="M400 600 L330 380 L470 240" fill="none" stroke="${base}" stroke-width="22" stroke-linecap="round"/>
        <circle cx="330" cy="380" r="20" fill="${dark}"/>
        <path d="M430 200 L560 200 L600 300 L390 300 Z" transform="rotate(20 495 250)" fill="${base}"/>
        <ellipse cx="500" cy="330" rx="70" ry="22" fill="${accent}" opacity="0.7" transform="rotate(20 500 330)"/>`;
    case 'plant':
      return `<path d="M400 450 C380 330 330 250 300 200 C360 240 400 320 410 450 Z" fill="${base}"/>
        <path d="M410 450 C420 310 450 230 480 170 C490 260 460 340 425 450 Z" fill="${shade(base, -0.1)}"/>
        <path d="M395 450 C360 360 300 320 250 300 C320 310 380 370 405 450 Z" fill="${light}"/>
        <path d="M420 450 C460 370 520 330 560 320 C510 350 460 400 430 450 Z" fill="${dark}"/>
        <path d="M290 440 h220 l-30 180 h-160 z" fill="${accent}"/>
        <rect x="280" y="430" width="240" height="40" rx="10" fill="${shade(accent, -0.1)}"/>`;
    case 'pan':
      return `<rect x="520" y="380" width="230" height="40" rx="20" fill="${dark}"/>
        <ellipse cx="370" cy="420" rx="210" ry="110" fill="${dark}"/>
        <ellipse cx="370" cy="400" rx="210" ry="110" fill="${base}"/>
        <ellipse cx="370" cy="400" rx="170" ry="80" fill="${shade(base, -0.15)}"/>
        <ellipse cx="320" cy="380" rx="60" ry="20" fill="${accent}" opacity="0.35"/>`;
    case 'tent':
      return `<path d="M150 600 L400 200 L650 600 Z" fill="${base}"/>
        <path d="M400 200 L650 600 L560 600 Z" fill="${dark}"/>
        <path d="M400 330 L330 600 L470 600 Z" fill="${accent}"/>
        <line x1="400" y1="200" x2="400" y2="170" stroke="${dark}" stroke-width="10"/>
        <rect x="120" y="598" width="560" height="14" rx="7" fill="${shade(accent, -0.2)}"/>`;
    case 'pen':
      return `<g transform="rotate(-35 400 400)">
        <rect x="370" y="160" width="60" height="420" rx="24" fill="${base}"/>
        <rect x="370" y="160" width="60" height="90" rx="24" fill="${accent}"/>
        <rect x="418" y="190" width="14" height="170" rx="7" fill="${accent}"/>
        <path d="M370 570 h60 l-30 80 z" fill="${dark}"/>
        <rect x="384" y="200" width="12" height="340" rx="6" fill="${light}" opacity="0.5"/></g>`;
    case 'candle':
      return `<path d="M400 180 q40 60 0 110 q-40 -50 0 -110 z" fill="#f6bd60"/>
        <path d="M400 215 q18 35 0 65 q-18 -30 0 -65 z" fill="#fff3b0"/>
        <line x1="400" y1="290" x2="400" y2="320" stroke="#333" stroke-width="6"/>
        <rect x="270" y="320" width="260" height="290" rx="30" fill="${base}"/>
        <ellipse cx="400" cy="325" rx="130" ry="20" fill="${light}"/>
        <rect x="300" y="420" width="200" height="110" rx="12" fill="${accent}"/>`;
    case 'knife':
      return `<g transform="rotate(-30 400 400)">
        <path d="M230 370 L560 370 L560 430 L260 430 Q220 410 230 370 Z" fill="${base}"/>
        <path d="M230 370 L560 370 L560 385 L240 385 Z" fill="${shade(base, 0.3)}"/>
        <rect x="560" y="360" width="180" height="80" rx="24" fill="${accent}"/>
        <circle cx="610" cy="400" r="9" fill="${light}"/><circle cx="690" cy="400" r="9" fill="${light}"/></g>`;
    case 'jar':
      return `<rect x="300" y="200" width="200" height="70" rx="16" fill="${accent}"/>
        <rect x="250" y="260" width="300" height="350" rx="60" fill="${base}" opacity="0.9"/>
        <rect x="250" y="430" width="300" height="180" rx="50" fill="${dark}" opacity="0.6"/>
        <rect x="290" y="300" width="30" height="250" rx="15" fill="#ffffff" opacity="0.45"/>
        <rect x="330" y="360" width="140" height="70" rx="10" fill="#ffffff" opacity="0.8"/>`;
    case 'throw':
      // A folded linen throw: soft stacked folds, a woven texture and a fringe along the front.
      return `<rect x="190" y="500" width="420" height="100" rx="36" fill="${dark}"/>
        <rect x="180" y="420" width="440" height="110" rx="40" fill="${base}"/>
        <rect x="205" y="345" width="395" height="100" rx="38" fill="${light}"/>
        ${[370, 395, 420].map((y) => `<path d="M240 ${y} h320" stroke="${accent}" stroke-width="5" opacity="0.7"/>`).join('')}
        ${[455, 480, 505].map((y) => `<path d="M215 ${y} h370" stroke="${accent}" stroke-width="5" opacity="0.55"/>`).join('')}
        <path d="M560 345 q55 5 40 70 l-45 -10 z" fill="${accent}" opacity="0.6"/>
        ${Array.from({ length: 14 }, (_, i) => `<path d="M${228 + i * 26} 598 q-3 18 2 34" fill="none" stroke="${dark}" stroke-width="6" stroke-linecap="round"/>`).join('')}`;
    case 'teapot':
      return `<path d="M265 440 q-75 -10 -110 -130 l28 -12 q35 85 98 92 z" fill="${base}"/>
        <path d="M535 360 q115 0 105 110 q-10 90 -105 100" fill="none" stroke="${dark}" stroke-width="26"/>
        <path d="M245 440 q0 -160 155 -160 q155 0 155 160 q0 150 -155 165 q-155 -15 -155 -165 z" fill="${base}"/>
        <path d="M250 470 q150 45 300 0" fill="none" stroke="${accent}" stroke-width="18"/>
        <ellipse cx="400" cy="288" rx="115" ry="22" fill="${dark}"/>
        <path d="M318 285 q82 -75 164 0 z" fill="${light}"/>
        <circle cx="400" cy="222" r="18" fill="${accent}"/>
        <path d="M300 360 q-15 60 5 130" fill="none" stroke="#ffffff" stroke-width="16" stroke-linecap="round" opacity="0.35"/>`;
    case 'pen-cup':
      return `<g transform="rotate(-12 340 300)"><rect x="320" y="170" width="26" height="260" rx="4" fill="#f4d35e"/><path d="M320 170 l13 -40 l13 40 z" fill="#e9c9a0"/></g>
        <g transform="rotate(10 450 300)"><rect x="440" y="150" width="22" height="280" rx="11" fill="${accent}"/><rect x="440" y="150" width="22" height="50" rx="11" fill="${shade(accent, -0.3)}"/></g>
        <rect x="388" y="190" width="20" height="260" rx="10" fill="#2b2d42"/>
        <path d="M275 360 h250 l-22 250 h-206 z" fill="${base}"/>
        <path d="M287 450 h226 l-3 34 h-220 z" fill="${accent}"/>
        <ellipse cx="400" cy="360" rx="125" ry="22" fill="${dark}"/>
        <path d="M300 390 l14 190" stroke="#ffffff" stroke-width="14" stroke-linecap="round" opacity="0.3"/>`;
    case 'tin':
      return `<rect x="280" y="255" width="240" height="355" rx="20" fill="${base}"/>
        <rect x="266" y="228" width="268" height="72" rx="16" fill="${dark}"/>
        <rect x="280" y="360" width="240" height="160" fill="${accent}"/>
        <path d="M400 385 q55 45 0 115 q-55 -70 0 -115 z" fill="${base}"/>
        <path d="M400 392 v105" stroke="${accent}" stroke-width="5"/>
        <rect x="298" y="310" width="18" height="280" rx="9" fill="#ffffff" opacity="0.35"/>`;
    case 'kettle':
      return `<path d="M300 520 q-70 -40 -80 -170 q-5 -70 -70 -95" fill="none" stroke="${base}" stroke-width="18" stroke-linecap="round"/>
        <path d="M505 410 q125 -20 115 95 q-5 65 -70 85" fill="none" stroke="${accent}" stroke-width="28" stroke-linecap="round"/>
        <path d="M265 600 q-10 -215 135 -255 q145 40 135 255 z" fill="${base}"/>
        <rect x="255" y="585" width="290" height="26" rx="12" fill="${dark}"/>
        <ellipse cx="400" cy="352" rx="72" ry="15" fill="${dark}"/>
        <circle cx="400" cy="330" r="16" fill="${accent}"/>
        <path d="M320 430 q-18 70 -8 140" fill="none" stroke="#ffffff" stroke-width="14" stroke-linecap="round" opacity="0.35"/>`;
    case 'stockpot':
      return `<rect x="190" y="335" width="70" height="28" rx="14" fill="${dark}"/>
        <rect x="540" y="335" width="70" height="28" rx="14" fill="${dark}"/>
        <rect x="235" y="300" width="330" height="305" rx="26" fill="${base}"/>
        <rect x="235" y="330" width="330" height="14" fill="${accent}"/>
        ${[
          [300, 420],
          [470, 470],
          [360, 540],
          [520, 390],
          [280, 520],
        ]
          .map(([x, y]) => `<circle cx="${x}" cy="${y}" r="5" fill="${accent}" opacity="0.7"/>`)
          .join('')}
        <ellipse cx="400" cy="300" rx="180" ry="30" fill="${dark}"/>
        <ellipse cx="400" cy="290" rx="168" ry="24" fill="${light}"/>
        <rect x="368" y="252" width="64" height="26" rx="13" fill="${accent}"/>`;
    case 'espresso-cups':
      return [290, 510]
        .map(
          (cx) => `<ellipse cx="${cx}" cy="565" rx="118" ry="24" fill="${accent}"/>
        <ellipse cx="${cx}" cy="557" rx="96" ry="16" fill="${shade(accent, -0.08)}"/>
        <path d="M${cx + 60} 445 q48 0 42 42 q-6 30 -48 30" fill="none" stroke="${base}" stroke-width="16"/>
        <path d="M${cx - 72} 420 h144 q0 132 -72 137 q-72 -5 -72 -137 z" fill="${base}"/>
        <ellipse cx="${cx}" cy="420" rx="72" ry="14" fill="${dark}"/>
        <ellipse cx="${cx}" cy="422" rx="60" ry="9" fill="#4a2c1a"/>`,
        )
        .join('');
    case 'camp-mug':
      return `<path d="M565 330 q90 0 90 85 q0 80 -90 80" fill="none" stroke="${base}" stroke-width="26"/>
        <path d="M565 330 q90 0 90 85 q0 80 -90 80" fill="none" stroke="${accent}" stroke-width="6"/>
        <rect x="245" y="285" width="330" height="300" rx="16" fill="${base}"/>
        <rect x="235" y="272" width="350" height="26" rx="13" fill="${accent}"/>
        <rect x="240" y="570" width="340" height="18" rx="9" fill="${accent}"/>
        <path d="M320 500 l62 -95 l40 55 l26 -32 l56 72 z" fill="${accent}"/>
        ${[
          [290, 340],
          [520, 360],
          [300, 540],
          [540, 520],
          [460, 330],
        ]
          .map(([x, y]) => `<circle cx="${x}" cy="${y}" r="6" fill="${accent}" opacity="0.5"/>`)
          .join('')}`;
    case 'coffee-bag':
      return `<path d="M268 255 h264 l22 355 h-308 z" fill="${base}"/>
        <rect x="260" y="222" width="280" height="52" rx="6" fill="${dark}"/>
        <rect x="246" y="240" width="308" height="12" rx="6" fill="#c9c9c9"/>
        <circle cx="400" cy="312" r="14" fill="${dark}"/>
        <rect x="305" y="360" width="190" height="175" rx="14" fill="${accent}"/>
        <g transform="rotate(-25 400 448)"><ellipse cx="400" cy="448" rx="40" ry="56" fill="${base}"/>
        <path d="M392 398 q30 50 0 100" fill="none" stroke="${accent}" stroke-width="8"/></g>`;
    case 'sketchbook':
      return `<rect x="172" y="262" width="460" height="320" rx="14" fill="${dark}"/>
        <rect x="160" y="250" width="460" height="320" rx="14" fill="${accent}"/>
        <path d="M185 545 q115 -120 220 -35 q105 -85 200 10 v25 h-420 z" fill="${base}" opacity="0.75"/>
        <circle cx="500" cy="340" r="38" fill="#f4a261" opacity="0.8"/>
        <circle cx="250" cy="350" r="30" fill="#2a9d8f" opacity="0.55"/>
        <circle cx="305" cy="330" r="26" fill="#e76f51" opacity="0.5"/>
        ${Array.from({ length: 11 }, (_, i) => `<rect x="${186 + i * 40}" y="228" width="12" height="44" rx="6" fill="#4a4e54"/>`).join('')}
        <g transform="rotate(35 600 470)"><rect x="590" y="380" width="18" height="190" rx="9" fill="#8d6e63"/><path d="M590 380 h18 l-9 -50 z" fill="${base}"/></g>`;
    case 'fountain-pen':
      return `<g transform="rotate(-35 400 400)">
        <rect x="366" y="130" width="68" height="150" rx="28" fill="${base}"/>
        <rect x="428" y="150" width="12" height="110" rx="6" fill="${accent}"/>
        <rect x="366" y="262" width="68" height="14" fill="${accent}"/>
        <rect x="372" y="300" width="56" height="250" rx="24" fill="${base}"/>
        <rect x="380" y="540" width="40" height="48" rx="8" fill="${dark}"/>
        <path d="M380 586 h40 l-20 100 z" fill="${accent}"/>
        <line x1="400" y1="606" x2="400" y2="676" stroke="${dark}" stroke-width="3"/>
        <circle cx="400" cy="604" r="5" fill="${dark}"/>
        <rect x="384" y="320" width="10" height="200" rx="5" fill="${light}" opacity="0.45"/></g>`;
    case 'clock':
      return `<circle cx="400" cy="400" r="230" fill="${base}"/>
        <circle cx="400" cy="400" r="195" fill="${accent}"/>
        ${Array.from({ length: 12 }, (_, i) => `<rect x="395" y="222" width="10" height="${i % 3 === 0 ? 34 : 18}" fill="${dark}" transform="rotate(${i * 30} 400 400)"/>`).join('')}
        <rect x="393" y="290" width="14" height="120" rx="7" fill="${dark}" transform="rotate(-50 400 400)"/>
        <rect x="395" y="250" width="10" height="160" rx="5" fill="${dark}" transform="rotate(70 400 400)"/>
        <circle cx="400" cy="400" r="16" fill="${dark}"/>`;
    case 'compass':
      return `<rect x="220" y="200" width="360" height="420" rx="40" fill="${accent}" opacity="0.25"/>
        <circle cx="400" cy="410" r="170" fill="${base}"/>
        <circle cx="400" cy="410" r="140" fill="#f8f8f8"/>
        <path d="M400 290 L430 410 L400 530 L370 410 Z" fill="${dark}"/>
        <path d="M400 290 L430 410 L370 410 Z" fill="${accent}"/>
        <circle cx="400" cy="410" r="12" fill="${base}"/>`;
    default:
      return '';
  }
}

/** The SVG of one product: its drawing on a soft background with a floor shadow. */
export function productSvg(product: CatalogProduct): string {
  const { shape, base, accent, background } = product.art;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="800" viewBox="0 0 800 800">
  <defs><radialGradient id="bg" cx="50%" cy="40%" r="75%"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="${background}"/></radialGradient></defs>
  <rect width="800" height="800" fill="url(#bg)"/>
  <ellipse cx="400" cy="640" rx="250" ry="34" fill="#000" opacity="0.08"/>
  ${drawing(shape, base, accent)}
</svg>`;
}

async function main(): Promise<void> {
  const { default: sharp } = await import('sharp');
  const dir = path.join(root, 'public/products');
  mkdirSync(dir, { recursive: true });
  for (const product of CATALOG) {
    const file = path.join(dir, `${product.id}.png`);
    await sharp(Buffer.from(productSvg(product)))
      .png({ compressionLevel: 9, palette: true })
      .toFile(file);
    console.log(`render-images: ${path.relative(root, file)}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  void main();
}
