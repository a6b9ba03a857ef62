// A multipart/form-data body with one `file` part, as browsers and the official client send a CSV upload.
export function csvUpload(csv: string): { body: string; headers: Record<string, string> } {
  const boundary = '----iterlab-test-boundary';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="members.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** A multipart/form-data body of several parts (a part with a filename is a file), as the official client's FormData sends them. */
export function formUpload(parts: readonly { name: string; value: string; filename?: string }[]): { raw: string; headers: Record<string, string> } {
  const boundary = '----iterlab-test-boundary';
  const body = parts
    .map((part) => {
      const disposition = `Content-Disposition: form-data; name="${part.name}"${part.filename !== undefined ? `; filename="${part.filename}"\r\nContent-Type: text/csv` : ''}`;
      return `--${boundary}\r\n${disposition}\r\n\r\n${part.value}\r\n`;
    })
    .join('');
  return { raw: `${body}--${boundary}--\r\n`, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
