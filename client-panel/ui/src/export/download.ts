/** Saves a blob under `filename` through a temporary link (the API needs a bearer token, so no plain href). */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the object URL by the next task; then it can go.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadCsv(text: string, filename: string): void {
  downloadBlob(new Blob([text], { type: 'text/csv;charset=utf-8' }), filename);
}

export function downloadCanvasPng(canvas: HTMLCanvasElement, filename: string): Promise<void> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (!blob) {
        reject(new Error('The chart could not be turned into an image'));
        return;
      }
      downloadBlob(blob, filename);
      resolve();
    }, 'image/png');
  });
}

/** A file name from parts: lower case, safe characters only (`acme-widgets-activity.csv`). */
export function fileName(parts: readonly string[], extension: 'csv' | 'png'): string {
  const stem = parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${stem}.${extension}`;
}
