/**
 * Decode binary as: the encoding of an endpoint's binary messages (MessagePack, CBOR or Protocol
 * Buffers with its .proto file and message type), a fieldset of the connection options. The host
 * loads the .proto file on Connect; this form only checks that protobuf names both.
 */
import type { BinaryEncoding, DecodeConfig } from '../shared/protocol';
import { checkDecode } from '../shared/decodeConfig';
import { h, labeled, select, uniqueId } from './dom';
import { ErrorSlot, type FieldErrors } from './errorSlot';

const DECODE_OPTIONS: readonly (readonly [string, string])[] = [
  ['', 'Off (bytes only)'],
  ['msgpack', 'MessagePack'],
  ['cbor', 'CBOR'],
  ['protobuf', 'Protobuf'],
];

function isEncoding(value: string): value is BinaryEncoding {
  return value === 'msgpack' || value === 'cbor' || value === 'protobuf';
}

export class DecodeForm {
  readonly element: HTMLFieldSetElement;
  private readonly as = select('Decode binary as', DECODE_OPTIONS);
  private readonly proto = h('input', { attrs: { type: 'text', placeholder: 'proto/feed.proto', spellcheck: 'false', autocomplete: 'off' } });
  private readonly type = h('input', { attrs: { type: 'text', placeholder: 'feed.v1.Tick', spellcheck: 'false', autocomplete: 'off' } });
  private readonly protobufFields: HTMLElement;
  private readonly error: ErrorSlot;

  constructor(errors: FieldErrors) {
    this.error = new ErrorSlot([this.proto, this.type]);
    errors.register('decode', this.error);
    const hint = h('span', { class: 'note', id: uniqueId('hint'), text: 'relative to the collection file or the workspace' });
    this.proto.setAttribute('aria-describedby', hint.id);
    this.protobufFields = h('div', {}, labeled('.proto file', this.proto, hint), labeled('Message type', this.type));
    this.as.addEventListener('change', () => this.showFields());
    for (const input of [this.proto, this.type]) input.addEventListener('input', () => this.error.clear());
    this.element = h('fieldset', {}, h('legend', { text: 'Decoding' }), labeled('Decode binary as', this.as), this.protobufFields, this.error.element);
    this.values = undefined;
  }

  set values(decode: DecodeConfig | undefined) {
    this.as.value = decode?.as ?? '';
    this.proto.value = decode?.proto ?? '';
    this.type.value = decode?.type ?? '';
    this.error.clear();
    this.showFields();
  }

  /** The encoding chosen, '' for none (the Connection options tab's mark counts it). */
  get chosen(): string {
    return this.as.value;
  }

  /** The decode settings, undefined when off, or `{ ok: false }` after showing what is missing. */
  read(): { ok: true; decode: DecodeConfig | undefined } | { ok: false } {
    const as = this.as.value;
    if (!isEncoding(as)) return { ok: true, decode: undefined };
    if (as !== 'protobuf') return { ok: true, decode: { as } };
    const decode: DecodeConfig = { as, proto: this.proto.value.trim(), type: this.type.value.trim() };
    const problem = checkDecode(decode);
    if (problem) {
      this.error.show(problem, { controls: [decode.proto === '' ? this.proto : this.type] });
      (decode.proto === '' ? this.proto : this.type).focus();
      return { ok: false };
    }
    return { ok: true, decode };
  }

  private showFields(): void {
    this.protobufFields.hidden = this.as.value !== 'protobuf';
  }
}
