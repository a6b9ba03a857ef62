// A multipart/form-data body with one `file` part, as browsers and the official client send a CSV upload.
export function csvUpload(csv: string): { body: string; headers: Record<string, string> } {
  const boundary = '----iterlab-test-boundary';
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="members.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`;
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
