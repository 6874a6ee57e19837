<?xml version="1.0" encoding="UTF-8"?>
<!--
  The entity index shared by csv.xsl and json.xsl (included, never run alone): one row per
  name mention, in reading order. Columns (docs/exports.md):

    entity_id       xml:id of the authority record (empty when the name has none)
    type            person | place | org
    preferred_name  the record's preferred name
    surface         the name as written in the text (corrected reading)
    document_id     xml:id of the document (div type="document"); "front" / "back" outside documents
    document_title  the document's heading (corrected reading)
    position        1-based ordinal of the mention among all name mentions of the file
    wikidata        Wikidata id of the record (Q...)
    geonames        GeoNames id of the record
    certainty       @cert of the mention (how sure the link is), empty when certain
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:include href="common.xsl"/>

  <!-- The heading of a document, by the document's generated id: found once, while the key is
       built. Looked for from each mention ($doc/tei:head[1]), a document without a heading had all
       its children searched for every name it holds. -->
  <xsl:key name="ix-head" match="tei:div/tei:head[../@type='document']" use="generate-id(..)"/>

  <!-- One step, not a union: libxml2 merges large unions slowly. -->
  <xsl:variable name="ix-mentions" select="/tei:TEI/tei:text/descendant::*[self::tei:persName or self::tei:placeName or self::tei:orgName]"/>
  <xsl:variable name="ix-columns" select="'entity_id type preferred_name surface document_id document_title position wikidata geonames certainty'"/>

  <!-- The values of one row, for the current mention, as variables of the calling template:
       csv.xsl and json.xsl copy this block (xsl:variable cannot be shared across templates, and a
       call per field costs more than the rest of the row). Kept here as the reference:

    rec      key('tt-id', substring-after(@ref, '#'))/parent::*[self::tei:person or self::tei:place or self::tei:org]
    doc      ancestor::tei:div[@type='document'][1]
  -->

  <!-- Surface form, corrected reading: the string value unless the name holds a choice, note,
       reference or line break. -->
  <xsl:template name="ix-surface">
    <xsl:choose>
      <xsl:when test="descendant::tei:choice or descendant::tei:note or descendant::tei:ref or descendant::tei:lb">
        <xsl:variable name="t"><xsl:apply-templates select="node()" mode="ix-plain"/></xsl:variable>
        <xsl:value-of select="normalize-space($t)"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space(.)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Heading of a document, corrected reading. -->
  <xsl:template name="ix-title">
    <xsl:param name="head"/>
    <xsl:choose>
      <xsl:when test="$head/descendant::tei:choice or $head/descendant::tei:note or $head/descendant::tei:ref
                      or $head/descendant::tei:lb or $head/descendant::tei:supplied">
        <xsl:variable name="t"><xsl:apply-templates select="$head" mode="ix-plain"/></xsl:variable>
        <xsl:value-of select="normalize-space($t)"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="normalize-space($head)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Plain corrected text. -->
  <xsl:template match="tei:note | tei:ref" mode="ix-plain"/>
  <xsl:template match="tei:choice" mode="ix-plain">
    <xsl:apply-templates select="((tei:corr | tei:reg)[1] | tei:*[not(@source)][not(../tei:corr | ../tei:reg)][1])[1]/node()" mode="ix-plain"/>
  </xsl:template>
  <xsl:template match="tei:lb" mode="ix-plain"><xsl:text> </xsl:text></xsl:template>

  <!-- Replace every occurrence of `from` in `s` by `to`. -->
  <xsl:template name="ix-replace">
    <xsl:param name="s"/>
    <xsl:param name="from"/>
    <xsl:param name="to"/>
    <xsl:choose>
      <xsl:when test="contains($s, $from)">
        <xsl:value-of select="substring-before($s, $from)"/><xsl:value-of select="$to"/>
        <xsl:call-template name="ix-replace">
          <xsl:with-param name="s" select="substring-after($s, $from)"/>
          <xsl:with-param name="from" select="$from"/>
          <xsl:with-param name="to" select="$to"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
