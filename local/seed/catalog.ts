/**
 * The demo catalog seeded on the local backend's first start: 25 products in 5 categories, each
 * with an image under public/products/ (rendered by local/seed/render-images.ts).
 */

export interface CatalogProduct {
  /** Stable id, so a re-seed never duplicates and tests can name a product. */
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  category: string;
  stock: number;
  /** Drawing and colours of the product's image. */
  art: { shape: ArtShape; base: string; accent: string; background: string };
}

export type ArtShape =
  | 'mug'
  | 'bag'
  | 'bottle'
  | 'book'
  | 'lamp'
  | 'plant'
  | 'pan'
  | 'tent'
  | 'pen'
  | 'candle'
  | 'knife'
  | 'jar'
  | 'throw'
  | 'clock'
  | 'compass'
  | 'teapot'
  | 'pen-cup'
  | 'tin'
  | 'kettle'
  | 'stockpot'
  | 'espresso-cups'
  | 'camp-mug'
  | 'coffee-bag'
  | 'sketchbook'
  | 'fountain-pen';

export const CATALOG: CatalogProduct[] = [
  // Kitchen
  {
    id: 'prod-stoneware-mug',
    sku: 'KIT-MUG-001',
    name: 'Stoneware Mug',
    description:
      'A 350 ml hand-glazed stoneware mug with a wide handle and a speckled finish. Dishwasher and microwave safe.',
    priceCents: 1800,
    category: 'Kitchen',
    stock: 120,
    art: { shape: 'mug', base: '#c96f4a', accent: '#f3d9c9', background: '#fbefe6' },
  },
  {
    id: 'prod-cast-iron-skillet',
    sku: 'KIT-PAN-002',
    name: 'Cast Iron Skillet',
    description:
      'A pre-seasoned 26 cm cast iron skillet that goes from stove top to oven to table, and lasts a lifetime.',
    priceCents: 4900,
    category: 'Kitchen',
    stock: 40,
    art: { shape: 'pan', base: '#2f3437', accent: '#8a9399', background: '#e8ecee' },
  },
  {
    id: 'prod-chef-knife',
    sku: 'KIT-KNF-003',
    name: "Chef's Knife 20 cm",
    description:
      'A forged stainless steel chef knife with a full tang and an olive wood handle, balanced for everyday prep.',
    priceCents: 8900,
    category: 'Kitchen',
    stock: 25,
    art: { shape: 'knife', base: '#b8c2c8', accent: '#7a5a3a', background: '#eef1f3' },
  },
  {
    id: 'prod-glass-storage-jar',
    sku: 'KIT-JAR-004',
    name: 'Glass Storage Jar',
    description:
      'A 1 litre borosilicate glass jar with an airtight bamboo lid, for coffee beans, pasta or flour.',
    priceCents: 1400,
    category: 'Kitchen',
    stock: 200,
    art: { shape: 'jar', base: '#9fd3c7', accent: '#c49a6c', background: '#eaf6f3' },
  },
  {
    id: 'prod-enamel-pot',
    sku: 'KIT-POT-005',
    name: 'Enamel Stock Pot',
    description:
      'A 5 litre enamelled steel pot with a glass lid, for soups, stocks and weekend batch cooking.',
    priceCents: 5600,
    category: 'Kitchen',
    stock: 30,
    art: { shape: 'stockpot', base: '#2e6f95', accent: '#f1f1f1', background: '#e5f0f7' },
  },
  // Home
  {
    id: 'prod-linen-throw',
    sku: 'HOM-BLK-001',
    name: 'Washed Linen Throw',
    description:
      'A soft 130 x 170 cm throw in stonewashed European linen that gets better with every wash.',
    priceCents: 7900,
    category: 'Home & Living',
    stock: 35,
    art: { shape: 'throw', base: '#a3b18a', accent: '#dad7cd', background: '#f1f3ec' },
  },
  {
    id: 'prod-soy-candle',
    sku: 'HOM-CND-002',
    name: 'Cedar & Fig Candle',
    description:
      'A hand-poured soy wax candle with a cotton wick and notes of cedar, fig leaf and amber. Burns 45 hours.',
    priceCents: 2600,
    category: 'Home & Living',
    stock: 90,
    art: { shape: 'candle', base: '#e9c46a', accent: '#6d597a', background: '#fbf5e4' },
  },
  {
    id: 'prod-desk-lamp',
    sku: 'HOM-LMP-003',
    name: 'Arc Desk Lamp',
    description:
      'A powder-coated steel desk lamp with a dimmable warm LED and an adjustable arm. USB-C powered.',
    priceCents: 6900,
    category: 'Home & Living',
    stock: 22,
    art: { shape: 'lamp', base: '#264653', accent: '#f4a261', background: '#e7eff1' },
  },
  {
    id: 'prod-wall-clock',
    sku: 'HOM-CLK-004',
    name: 'Oak Wall Clock',
    description:
      'A silent-sweep 30 cm wall clock with a solid oak frame and a minimalist white dial.',
    priceCents: 4500,
    category: 'Home & Living',
    stock: 18,
    art: { shape: 'clock', base: '#b5835a', accent: '#fdfdfb', background: '#f5eee7' },
  },
  {
    id: 'prod-snake-plant',
    sku: 'HOM-PLT-005',
    name: 'Snake Plant in Ceramic Pot',
    description:
      'An easy-going snake plant, 40 cm tall, potted in a matte ceramic planter. Thrives on neglect.',
    priceCents: 3900,
    category: 'Home & Living',
    stock: 15,
    art: { shape: 'plant', base: '#40916c', accent: '#f8f9fa', background: '#e9f5ee' },
  },
  // Outdoors
  {
    id: 'prod-trail-backpack',
    sku: 'OUT-BAG-001',
    name: 'Trail Backpack 28 L',
    description:
      'A water-resistant 28 litre daypack with a padded laptop sleeve, hip belt and side bottle pockets.',
    priceCents: 11900,
    category: 'Outdoors',
    stock: 28,
    art: { shape: 'bag', base: '#bc4b51', accent: '#f4e285', background: '#f9ebeb' },
  },
  {
    id: 'prod-insulated-bottle',
    sku: 'OUT-BTL-002',
    name: 'Insulated Bottle 750 ml',
    description:
      'A double-walled stainless steel bottle that keeps drinks cold for 24 hours or hot for 12.',
    priceCents: 3200,
    category: 'Outdoors',
    stock: 150,
    art: { shape: 'bottle', base: '#5b8e7d', accent: '#f4f1de', background: '#ebf3f0' },
  },
  {
    id: 'prod-two-person-tent',
    sku: 'OUT-TNT-003',
    name: 'Two-Person Tent',
    description:
      'A freestanding 2.1 kg backpacking tent with two doors, two vestibules and a 3000 mm waterproof fly.',
    priceCents: 24900,
    category: 'Outdoors',
    stock: 10,
    art: { shape: 'tent', base: '#f4a259', accent: '#5b8e7d', background: '#fdf1e6' },
  },
  {
    id: 'prod-field-compass',
    sku: 'OUT-CMP-004',
    name: 'Field Compass',
    description:
      'A liquid-damped baseplate compass with a declination adjustment and a luminous bezel.',
    priceCents: 2900,
    category: 'Outdoors',
    stock: 60,
    art: { shape: 'compass', base: '#3d405b', accent: '#e07a5f', background: '#ecedf3' },
  },
  {
    id: 'prod-camp-mug',
    sku: 'OUT-MUG-005',
    name: 'Enamel Camp Mug',
    description:
      'A light, chip-resistant enamel mug for coffee at the trailhead. 400 ml, rolled steel rim.',
    priceCents: 1600,
    category: 'Outdoors',
    stock: 110,
    art: { shape: 'camp-mug', base: '#f1faee', accent: '#1d3557', background: '#e3ecf4' },
  },
  // Stationery
  {
    id: 'prod-dot-grid-notebook',
    sku: 'STA-NTB-001',
    name: 'Dot Grid Notebook A5',
    description:
      'A lay-flat A5 notebook with 192 numbered pages of 100 gsm dot grid paper and a linen cover.',
    priceCents: 2200,
    category: 'Stationery',
    stock: 140,
    art: { shape: 'book', base: '#1d3557', accent: '#e63946', background: '#e8edf4' },
  },
  {
    id: 'prod-brass-pen',
    sku: 'STA-PEN-002',
    name: 'Brass Ballpoint Pen',
    description:
      'A solid brass ballpoint that develops a warm patina over time. Takes standard G2 refills.',
    priceCents: 3400,
    category: 'Stationery',
    stock: 75,
    art: { shape: 'pen', base: '#c9a227', accent: '#3a3a3a', background: '#f8f3e1' },
  },
  {
    id: 'prod-sketchbook',
    sku: 'STA-NTB-003',
    name: 'Watercolour Sketchbook',
    description:
      'A 24-sheet cold-press watercolour sketchbook, 300 gsm cotton paper, bound to lie flat.',
    priceCents: 2800,
    category: 'Stationery',
    stock: 50,
    art: { shape: 'sketchbook', base: '#6a994e', accent: '#f2e8cf', background: '#eef4ea' },
  },
  {
    id: 'prod-fountain-pen',
    sku: 'STA-PEN-004',
    name: 'Fountain Pen, Fine Nib',
    description:
      'A resin fountain pen with a steel fine nib and a converter for bottled ink. Writes smooth and wet.',
    priceCents: 4200,
    category: 'Stationery',
    stock: 40,
    art: { shape: 'fountain-pen', base: '#14213d', accent: '#fca311', background: '#e7e9ef' },
  },
  {
    id: 'prod-desk-organiser',
    sku: 'STA-JAR-005',
    name: 'Ceramic Pen Cup',
    description:
      'A weighty ceramic cup that keeps pens, brushes and scissors upright on your desk.',
    priceCents: 1900,
    category: 'Stationery',
    stock: 80,
    art: { shape: 'pen-cup', base: '#e76f51', accent: '#264653', background: '#fbeae5' },
  },
  // Coffee & Tea
  {
    id: 'prod-pour-over-kettle',
    sku: 'COF-KTL-001',
    name: 'Gooseneck Pour-Over Kettle',
    description:
      'A 1 litre stainless gooseneck kettle with a built-in thermometer for precise pour-over brewing.',
    priceCents: 5400,
    category: 'Coffee & Tea',
    stock: 33,
    art: { shape: 'kettle', base: '#6c757d', accent: '#212529', background: '#eef0f2' },
  },
  {
    id: 'prod-espresso-cups',
    sku: 'COF-MUG-002',
    name: 'Espresso Cups, Set of 2',
    description: 'Two 90 ml porcelain espresso cups with thick walls that keep the crema warm.',
    priceCents: 2400,
    category: 'Coffee & Tea',
    stock: 64,
    art: { shape: 'espresso-cups', base: '#283618', accent: '#fefae0', background: '#f3f4e8' },
  },
  {
    id: 'prod-loose-leaf-tin',
    sku: 'COF-JAR-003',
    name: 'Sencha Green Tea, 100 g Tin',
    description:
      'First-flush Japanese sencha with a bright, grassy cup. Packed in a resealable tin.',
    priceCents: 1700,
    category: 'Coffee & Tea',
    stock: 95,
    art: { shape: 'tin', base: '#588157', accent: '#dad7cd', background: '#eef3ec' },
  },
  {
    id: 'prod-house-blend-beans',
    sku: 'COF-BAG-004',
    name: 'House Blend Coffee Beans, 500 g',
    description:
      'A medium roast of Colombian and Ethiopian beans with notes of chocolate, cherry and caramel.',
    priceCents: 1900,
    category: 'Coffee & Tea',
    stock: 180,
    art: { shape: 'coffee-bag', base: '#7f5539', accent: '#ede0d4', background: '#f4ece5' },
  },
  {
    id: 'prod-ceramic-teapot',
    sku: 'COF-POT-005',
    name: 'Ceramic Teapot 800 ml',
    description:
      'A round-bellied ceramic teapot with a stainless infuser, for loose leaf tea for two to four.',
    priceCents: 3800,
    category: 'Coffee & Tea',
    stock: 27,
    art: { shape: 'teapot', base: '#457b9d', accent: '#f1faee', background: '#e6f0f5' },
  },
];

/** Where a product's image is served from (public/products/<id>.png). */
export const imagePath = (product: CatalogProduct): string => `/products/${product.id}.png`;
