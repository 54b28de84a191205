// http(s) URLs only: other schemes (javascript:, data:) stay plain text. A URL
// ends at whitespace or a character that cannot appear in one unescaped.
const urlPattern = /https?:\/\/[^\s<>"'`{}|\\^]+/g;
// Sentence punctuation after a link belongs to the sentence, not the link.
const trailingPunctuation = /[.,;:!?)\]]+$/;

export type TextPart = { text: string } | { url: string };

/** Splits plain text into text and http(s) links, in order. */
export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const url = match[0].replace(trailingPunctuation, "");
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start) });
    parts.push({ url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last) });
  return parts;
}

/** A mail's plain-text body as it reads in a mail client: line breaks kept, links clickable, nothing else interpreted. */
export function MailText({ text }: { text: string }) {
  return (
    <div className="mailbox-body">
      {splitLinks(text).map((part, i) =>
        "url" in part ? (
          <a key={i} href={part.url} rel="noreferrer">
            {part.url}
          </a>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </div>
  );
}
