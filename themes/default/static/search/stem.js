// stem.js: the English stemmer of the search index, for the browser client, so a
// query word is stemmed exactly as the Rust side stemmed the page text.
// It reproduces the Snowball "english" (Porter2) algorithm as shipped in frostem
// 1.20260804.0 (Snowball commit bc62b77), the stemmer tantivy 0.27 uses, and is
// checked word for word against that crate. Input must already be lower-cased.
// The Snowball algorithm is (c) the Snowball developers, BSD-3-Clause
// (see frostem's LICENSE-SNOWBALL).
//
// Only ASCII letters take part in matching: any other character (digit, é, ü,
// another script) is a non-vowel, as in Snowball. Regexes that look at single
// characters carry the u flag so an astral character counts as one, as in
// Rust. Offsets are UTF-16 indexes; Rust's are bytes, but every edit is to an
// ASCII tail, so the comparisons of offsets come out the same.

// Whole words with a fixed stem; '' means left as they are.
const EX = {__proto__: null, skis: 'ski', skies: 'sky', idly: 'idl', gently: 'gentl',
  ugly: 'ugli', early: 'earli', only: 'onli', singly: 'singl',
  andes: '', atlas: '', bias: '', cosmos: '', howe: '', news: '', sky: ''};

const S2 = {tional: 'tion', enci: 'ence', anci: 'ance', abli: 'able', entli: 'ent',
  izer: 'ize', ization: 'ize', ational: 'ate', ation: 'ate', ator: 'ate',
  alism: 'al', aliti: 'al', alli: 'al', fulli: 'ful', fulness: 'ful',
  ousli: 'ous', ousness: 'ous', iveness: 'ive', iviti: 'ive', biliti: 'ble',
  bli: 'ble', ogist: 'og', ogi: 'og', lessli: 'less', li: ''};

const S3 = {tional: 'tion', ational: 'ate', alize: 'al', icate: 'ic', iciti: 'ic',
  ical: 'ic', ful: '', ness: '', ative: ''};

// The longest key of t that s ends with, or ''. Snowball commits to the longest
// suffix even when its condition then fails: there is no falling back to a shorter one.
const suf = (s, t) => {
  let b = '';
  for (const k in t) if (k.length > b.length && s.endsWith(k)) b = k;
  return b;
};

// Offset just past the first non-vowel that follows a vowel, from i on (R1, R2).
const R = (s, i) => {
  const r = /[aeiouy][^aeiouy]/gu;
  r.lastIndex = i;
  return r.exec(s) ? r.lastIndex : s.length;
};

// A short syllable ends s (w, x and Y count as vowels after the vowel here).
const short = s => /[^aeiouy][aeiouy][^aeiouwxyY]$|^[aeiouy][^aeiouy]$|past$/u.test(s);

export function stem(word) {
  if (word in EX) return EX[word] || word;
  if ([...word].length < 3) return word;
  let s = word.replace(/^'/, ''), Y = false, m, i, k, t;
  // y at the start or after a vowel is a consonant: mark it Y until the end.
  s = s.replace(/(^|[aeiouy])y/g, (x, a) => (Y = true, a + 'Y'));
  m = /^(gener|commun|arsen|emerg|inter|later|organ|past|univers)/.exec(s);
  const p1 = m ? m[0].length : R(s, 0), p2 = R(s, p1);

  // Step 0 and 1a: possessives and plurals.
  s = s.replace(/'(s'?)?$/, '');
  if (m = /(sses|ie[ds]|[su]s|s)$/.exec(s)) {
    k = m[0];
    t = s.slice(0, m.index);
    if (k == 'sses') s = t + 'ss';
    else if (k[0] == 'i') s = t + ([...t].length > 1 ? 'i' : 'ie');
    // Drop s when a vowel comes before the letter before it.
    else if (k == 's' && /[aeiouy][^]+s$/.test(s)) s = t;
  }

  // Step 1b: -eed, -ed, -ing (and -ly after them).
  if (m = /(e?ed|ing)(ly)?$/.exec(s)) {
    i = m.index;
    t = s.slice(0, i);
    if (m[1] == 'eed') {
      if (p1 <= i && !/^(succ|proc|exc)$/.test(t)) s = t + 'ee';
    } else if (m[0] == 'ing' && /^(even|cann|inn|earr|herr|out)$/.test(t)) {
      // Kept whole: evening, inning, outing...
    } else if (m[0] == 'ing' && /^[^aeiouy]y$/u.test(t)) {
      s = t.slice(0, -1) + 'ie'; // dying -> die
    } else if (/[aeiouy]/.test(t)) {
      s = t;
      if (/(at|bl|iz)$/.test(s)) s += 'e';
      else if (/([bdfgmnprt])\1$/.test(s)) {
        if (!/^[aeo]..$/.test(s)) s = s.slice(0, -1); // hopp -> hop, but add, egg, off stay
      } else if (p1 == s.length && short(s)) s += 'e';
    }
  }

  // Step 1c: y -> i after a non-vowel that is not the first letter.
  s = s.replace(/([^][^aeiouy])[yY]$/u, '$1i');

  // Steps 2 and 3: suffixes in R1 are mapped to simpler ones.
  k = suf(s, S2);
  i = s.length - k.length;
  if (k && p1 <= i && (k != 'ogi' || /logi$/.test(s)) &&
      (k != 'li' || /[cdeghkmnrt]li$/.test(s))) s = s.slice(0, i) + S2[k];
  k = suf(s, S3);
  i = s.length - k.length;
  if (k && p1 <= i && (k != 'ative' || p2 <= i)) s = s.slice(0, i) + S3[k];

  // Step 4: suffixes in R2 are dropped (-ion only after s or t).
  m = /(ic|[ae]nce|[ai]ble|ate|ive|ize|iti|al|ism|ion|er|ous|ant|(e?m)?ent)$/.exec(s);
  if (m && p2 <= m.index && (m[0] != 'ion' || /[st]ion$/.test(s))) s = s.slice(0, m.index);

  // Step 5: a final e in R2, or in R1 after no short syllable; ll in R2 -> l.
  i = s.length - 1;
  if (s[i] == 'e' ? p2 <= i || p1 <= i && !short(s.slice(0, i))
      : s[i] == 'l' && p2 <= i && s[i - 1] == 'l') s = s.slice(0, i);

  return Y ? s.replace(/Y/g, 'y') : s;
}
