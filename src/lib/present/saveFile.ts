/**
 * Save a file the app made (export, project, report, PNG) through the browser's download: one way for every
 * button. The object URL is released after the browser has taken the file.
 */
export function saveFile(name: string, data: Blob | Uint8Array | string, mime = 'application/octet-stream'): void {
  const blob = data instanceof Blob ? data : new Blob([data as BlobPart], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
