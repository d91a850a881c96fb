import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import type { ReceiptContent } from '../../domain/receipt';

// Standard fonts encode WinAnsi only; anything else (emoji, CJK) is replaced, not fatal.
const printable = (value: string): string => value.replace(/[^\x20-\x7E\u00A0-\u00FF€]/g, '?');

/** Lays a receipt out on one A4-ish page (more pages when the lines need them) and returns the PDF bytes. */
export const renderReceiptPdf = async (
  receipt: ReceiptContent,
  createdAt: Date,
): Promise<Uint8Array> => {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${receipt.shop.name} receipt ${receipt.orderNumber}`);
  pdf.setAuthor(receipt.shop.name);
  pdf.setSubject(`Order ${receipt.orderNumber}`);
  pdf.setCreationDate(createdAt);
  pdf.setModificationDate(createdAt);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);

  const margin = 50;
  let page = pdf.addPage([595, 842]);
  let y = page.getHeight() - margin;
  const width = page.getWidth();

  const write = (
    value: string,
    x: number,
    options: { size?: number; font?: typeof regular; right?: boolean } = {},
  ) => {
    const size = options.size ?? 10;
    const font = options.font ?? regular;
    const textValue = printable(value);
    const at = options.right ? x - font.widthOfTextAtSize(textValue, size) : x;
    page.drawText(textValue, { x: at, y, size, font, color: rgb(0.1, 0.1, 0.1) });
  };
  const newline = (height = 14) => {
    y -= height;
    if (y < margin + 40) {
      page = pdf.addPage([595, 842]);
      y = page.getHeight() - margin;
    }
  };

  write(receipt.shop.name, margin, { size: 18, font: bold });
  write(receipt.title, width - margin, { size: 18, font: bold, right: true });
  newline(22);
  for (const line of receipt.shop.addressLines) {
    write(line, margin);
    newline();
  }
  write(receipt.shop.email, margin);
  newline(24);

  write(`Order number: ${receipt.orderNumber}`, margin, { font: bold });
  newline();
  write(`Date: ${receipt.issuedOn}`, margin);
  newline(20);
  write('Billed and shipped to', margin, { font: bold });
  newline();
  for (const line of receipt.billedTo) {
    write(line, margin);
    newline();
  }
  newline(10);

  const qtyX = 360;
  const unitX = 450;
  const amountX = width - margin;
  write('Item', margin, { font: bold });
  write('Qty', qtyX, { font: bold, right: true });
  write('Unit price', unitX, { font: bold, right: true });
  write('Amount', amountX, { font: bold, right: true });
  newline(6);
  page.drawLine({ start: { x: margin, y }, end: { x: amountX, y }, thickness: 0.5 });
  newline(12);
  for (const line of receipt.lines) {
    write(line.description.slice(0, 55), margin);
    write(String(line.quantity), qtyX, { right: true });
    write(line.unitPrice, unitX, { right: true });
    write(line.amount, amountX, { right: true });
    newline();
  }
  newline(6);
  for (const total of receipt.totals) {
    const last = total === receipt.totals[receipt.totals.length - 1];
    write(total.label, unitX, { right: true, font: last ? bold : regular });
    write(total.amount, amountX, { right: true, font: last ? bold : regular });
    newline();
  }
  newline(20);
  write(receipt.footer, margin, { size: 9 });
  return pdf.save();
};
