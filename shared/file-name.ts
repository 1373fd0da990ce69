/**
 * A title as a file name: letters without their accents, digits and dashes, at most 60
 * characters — plain ASCII, so it survives a Content-Disposition header, a zip and any disk.
 */
export function fileNameOf(title: string, fallback: string): string {
  const base = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
  return base || fallback
}
