import { html, nothing } from 'lit';
import type { MessageKey } from '../i18n/index.ts';
import { EkycElement } from '../shared/ekyc-element.ts';
import { takeFiles, type UploadDetail } from '../shared/file-picker.ts';
import { baseStyles } from '../shared/styles.ts';
import { uploadStyles } from './ekyc-upload.styles.ts';

type Slot = 'front' | 'back' | 'selfie';

/** Which photos the element asks for. */
export type UploadKind = 'document' | 'selfie' | 'all';

const SLOTS: Record<UploadKind, readonly Slot[]> = { document: ['front', 'back'], selfie: ['selfie'], all: ['front', 'back', 'selfie'] };
const LABELS: Record<Slot, MessageKey> = { front: 'upload.document', back: 'upload.document_back', selfie: 'upload.selfie' };
const OPTIONAL: ReadonlySet<Slot> = new Set(['back']);

/**
 * @tagname ekyc-upload
 * @summary Upload instead of the camera: a photo of the identity document (front, optional back) and a selfie.
 *
 * @event {CustomEvent<UploadDetail>} ekyc-upload - The user submitted the photos (document front then back; selfie).
 *
 * @csspart base - The wrapper.
 * @csspart heading - The title.
 * @csspart picker - Each photo's box.
 * @csspart choose - Each "choose a photo" button.
 * @csspart submit - The continue button.
 *
 * @cssproperty --ekyc-color-border - Dashed border of an empty photo box.
 * @cssproperty --ekyc-color-success - Border and text of a box with a photo.
 */
export class EkycUpload extends EkycElement {
  static override styles = [baseStyles, uploadStyles];
  static override properties = {
    kind: { type: String },
  };

  static {
    // Internal view state: reactive, but no attribute and not part of the public API.
    for (const name of ['files', 'showMissing']) this.createProperty(name, { state: true });
  }

  /** `document` (front and optional back), `selfie`, or `all` (both, in one screen). */
  declare kind: UploadKind;
  private declare files: Partial<Record<Slot, File>>;
  private declare showMissing: boolean;

  constructor() {
    super();
    this.kind = 'all';
    this.files = {};
    this.showMissing = false;
  }

  /** Clears the chosen photos. */
  clear(): void {
    this.files = {};
    this.showMissing = false;
  }

  private slots(): readonly Slot[] {
    return SLOTS[this.kind] ?? SLOTS.all;
  }

  private choose(slot: Slot): void {
    this.renderRoot.querySelector<HTMLInputElement>(`input[data-slot=${slot}]`)?.click();
  }

  private chosen(slot: Slot, event: Event): void {
    const [file] = takeFiles(event.target as HTMLInputElement);
    if (file) this.files = { ...this.files, [slot]: file };
  }

  private submit(): void {
    const missing = this.slots().filter((slot) => !OPTIONAL.has(slot) && !this.files[slot]);
    if (missing.length > 0) {
      this.showMissing = true;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLButtonElement>(`button[data-slot=${missing[0]}]`)?.focus());
      return;
    }
    const { front, back, selfie } = this.files;
    this.emit<UploadDetail>('ekyc-upload', { document: [front, back].filter((f): f is File => f !== undefined), selfie: selfie ?? null });
  }

  override render() {
    return html`
      <section part="base" class="base" lang=${this.resolvedLocale} aria-labelledby="title">
        <h2 id="title" part="heading" data-heading tabindex="-1">${this.t('upload.title')}</h2>
        <p class="muted">${this.t('upload.intro')}</p>
        ${this.slots().map((slot) => {
          const done = this.files[slot] !== undefined;
          return html`<div class="picker ${done ? 'done' : ''}" part="picker">
            <span class="label" id=${`label-${slot}`}>${this.t(LABELS[slot])}</span>
            <span class=${done ? 'added' : 'muted'} id=${`state-${slot}`} aria-live="polite">${done ? this.t('upload.added') : ''}</span>
            <button type="button" part="choose" id=${`choose-${slot}`} data-slot=${slot} aria-labelledby=${`choose-${slot} label-${slot}`} aria-describedby=${`state-${slot}`} @click=${() => this.choose(slot)}>${this.t('upload.choose')}</button>
            <input type="file" accept="image/*" hidden data-slot=${slot} @change=${(e: Event) => this.chosen(slot, e)} />
          </div>`;
        })}
        ${this.showMissing ? html`<p class="missing" role="alert">${this.t('upload.missing')}</p>` : nothing}
        <div class="actions">
          <button type="button" class="primary" part="submit" @click=${() => this.submit()}>${this.t('upload.submit')}</button>
        </div>
      </section>`;
  }
}
