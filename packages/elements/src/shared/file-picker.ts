/** Files chosen in an `<input type="file">`, then the input cleared so picking the same file again fires `change`. */
export function takeFiles(input: HTMLInputElement): File[] {
  const files = [...(input.files ?? [])];
  input.value = '';
  return files;
}

/** `ekyc-upload`: image files the user picked. */
export interface UploadDetail {
  /** The document's images: the front, then the back when given. Empty for a selfie-only upload. */
  document: File[];
  /** The selfie, or null when not asked for. */
  selfie: File | null;
}
