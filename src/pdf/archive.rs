//! PDF/A-2b, the archival form of the documents Retrace keeps for years.
//!
//! A certificate is read by an auditor long after it was issued, perhaps by a
//! program that does not exist yet; PDF/A (ISO 19005-2) asks of a file what
//! makes that possible: every font embedded (the subsets of `pdf::subset`),
//! colours tied to a declared colour space (an sRGB output intent), and the
//! document's description in XMP metadata that agrees with its information
//! dictionary. printpdf writes PDF/A only with a 650 KB CMYK print profile and
//! a metadata template of its own, so the saved file is completed here with
//! lopdf instead: the profile added is 7 KB.

use chrono::{DateTime, SubsecRound, Utc};
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};

use crate::error::AppError;

/// sRGB (IEC 61966-2.1), from Debian's icc-profiles-free (zlib licence, see icc/LICENSE).
const SRGB: &[u8] = include_bytes!("icc/sRGB.icc");

/// `pdf` (as printpdf saved it), made PDF/A-2b: XMP metadata, an sRGB output
/// intent, and an information dictionary reduced to what the metadata repeats.
pub(super) fn archival(
    pdf: &[u8],
    title: &str,
    issued_at: DateTime<Utc>,
) -> Result<Vec<u8>, AppError> {
    let mut doc = Document::load_mem(pdf).map_err(AppError::internal)?;
    // Both sides must name the same second.
    let at = issued_at.trunc_subsecs(0);

    let info_id = doc
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .map_err(AppError::internal)?;
    let mut info = Dictionary::new();
    info.set("Title", text(title));
    info.set("Creator", text("Retrace"));
    info.set("Producer", text("Retrace"));
    let date = Object::String(
        at.format("D:%Y%m%d%H%M%S+00'00'").to_string().into_bytes(),
        StringFormat::Literal,
    );
    info.set("CreationDate", date.clone());
    info.set("ModDate", date);
    doc.objects.insert(info_id, Object::Dictionary(info));

    let mut metadata = Dictionary::new();
    metadata.set("Type", Object::Name(b"Metadata".to_vec()));
    metadata.set("Subtype", Object::Name(b"XML".to_vec()));
    // The metadata stays uncompressed: PDF/A wants it readable as it is.
    let metadata = doc.add_object(Stream::new(metadata, xmp(title, at).into_bytes()));

    let mut profile = Dictionary::new();
    profile.set("N", Object::Integer(3));
    let mut profile = Stream::new(profile, SRGB.to_vec());
    profile.compress().map_err(AppError::internal)?;
    let profile = doc.add_object(profile);
    let mut intent = Dictionary::new();
    intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
    intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
    intent.set("OutputConditionIdentifier", text("sRGB IEC61966-2.1"));
    intent.set("Info", text("sRGB IEC61966-2.1"));
    intent.set("DestOutputProfile", Object::Reference(profile));

    let catalog = doc.catalog_mut().map_err(AppError::internal)?;
    catalog.set("Metadata", Object::Reference(metadata));
    catalog.set(
        "OutputIntents",
        Object::Array(vec![Object::Dictionary(intent)]),
    );
    // PDF/A-2 is PDF 1.7 with restrictions.
    doc.version = "1.7".into();
    let mut out = Vec::with_capacity(pdf.len() + SRGB.len() + 2048);
    doc.save_to(&mut out).map_err(AppError::internal)?;
    Ok(out)
}

/// A text string in UTF-16BE with its byte-order mark, as PDF wants non-ASCII text.
fn text(value: &str) -> Object {
    let bytes = [0xFE, 0xFF]
        .into_iter()
        .chain(value.encode_utf16().flat_map(u16::to_be_bytes))
        .collect();
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The XMP packet: PDF/A's identification, and the information dictionary's
/// entries again, which a validator compares one by one.
fn xmp(title: &str, at: DateTime<Utc>) -> String {
    let title = escape(title);
    let at = at.format("%Y-%m-%dT%H:%M:%S+00:00");
    format!(
        r#"<?xpacket begin="{bom}" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreatorTool>Retrace</xmp:CreatorTool>
   <xmp:CreateDate>{at}</xmp:CreateDate>
   <xmp:ModifyDate>{at}</xmp:ModifyDate>
   <xmp:MetadataDate>{at}</xmp:MetadataDate>
   <pdf:Producer>Retrace</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"#,
        bom = '\u{feff}',
    )
}

fn escape(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}
