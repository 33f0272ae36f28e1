// Package lexicon is what Chorus knows about the words of marketing copy,
// shared by the copy linter (content) and the offline writer
// (llm/offline) so that the writer is held to the very rules it was built
// to follow:
//
//   - product kinds: what a title or category names (a blanket, coffee
//     beans, a T-light holder), the Chinese measure words (量词) that fit
//     it, the interests and seasons it serves, whether it is bought again;
//   - the interest vocabulary in zh and en, mapped to the catalog
//     categories that serve each interest (the map segment affinities and
//     copy hooks both rely on, so that interest and product agree);
//   - selling points classified as noun phrase, adjective, claim or
//     specification, so that each is placed only where it reads right;
//   - title case for ALL-CAPS catalog titles, natural dates (11月11日,
//     November 11, Nov 11) and occasions (双11, Christmas, 618).
//
// It is a leaf: no I/O, no dependency on other Chorus packages.
package lexicon
