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

  <xsl:variable name="ix-mentions" select="/tei:TEI/tei:text/descendant::tei:persName | /tei:TEI/tei:text/descendant::tei:placeName
                                           | /tei:TEI/tei:text/descendant::tei:orgName"/>
  <xsl:variable name="ix-columns" select="'entity_id type preferred_name surface document_id document_title position wikidata geonames certainty'"/>

  <!-- Calls template "ix-field" with (name, value, last) for every column of the current mention. -->
  <xsl:template name="ix-row">
    <xsl:param name="position"/>
    <xsl:variable name="rid" select="substring-after(@ref, '#')"/>
    <xsl:variable name="rec" select="key('tt-id', $rid)[self::tei:person or self::tei:place or self::tei:org]"/>
    <xsl:variable name="doc" select="ancestor::tei:div[@type='document'][1]"/>
    <xsl:variable name="surface"><xsl:apply-templates select="node()" mode="ix-plain"/></xsl:variable>
    <xsl:call-template name="ix-field"><xsl:with-param name="name">entity_id</xsl:with-param>
      <xsl:with-param name="value" select="string($rec/@xml:id)"/></xsl:call-template>
    <xsl:call-template name="ix-field"><xsl:with-param name="name">type</xsl:with-param>
      <xsl:with-param name="value"><xsl:call-template name="tt-entity-type"/></xsl:with-param></xsl:call-template>
    <xsl:call-template name="ix-field"><xsl:with-param name="name">preferred_name</xsl:with-param>
      <xsl:with-param name="value"><xsl:if test="$rec"><xsl:call-template name="tt-preferred-name"><xsl:with-param name="rec" select="$rec"/></xsl:call-template></xsl:if></xsl:with-param></xsl:call-template>
    <xsl:call-template name="ix-field"><xsl:with-param name="name">surface</xsl:with-param>
      <xsl:with-param name="value" select="normalize-space($surface)"/></xsl:call-template>
    <xsl:call-template name="ix-field"><xsl:with-param name="name">document_id</xsl:with-param>
      <xsl:with-param name="value">
        <xsl:choose>
          <xsl:when test="$doc"><xsl:value-of select="$doc/@xml:id"/></xsl:when>
          <xsl:when test="ancestor::tei:front">front</xsl:when>
          <xsl:when test="ancestor::tei:back">back</xsl:when>
        </xsl:choose>
      </xsl:with-param></xsl:call-template>
    <xsl:call-template name="ix-field"><xsl:with-param name="name">document_title</xsl:with-param>
      <xsl:with-param name="value"><xsl:if test="$doc"><xsl:variable name="t"><xsl:apply-templates select="$doc/tei:head[1]" mode="ix-plain"/></xsl:variable><xsl:value-of select="normalize-space($t)"/></xsl:if></xsl:with-param></xsl:call-template>
    <xsl:call-template name="ix-field"><xsl:with-param name="name">position</xsl:with-param>
      <xsl:with-param name="value" select="$position"/><xsl:with-param name="number" select="true()"/></xsl:call-template>
    <xsl:call-template name="ix-field"><xsl:with-param name="name">wikidata</xsl:with-param>
      <xsl:with-param name="value" select="normalize-space($rec/tei:idno[@type='wikidata'][1])"/></xsl:call-template>
    <xsl:call-template name="ix-field"><xsl:with-param name="name">geonames</xsl:with-param>
      <xsl:with-param name="value" select="normalize-space($rec/tei:idno[@type='geonames'][1])"/></xsl:call-template>
    <xsl:call-template name="ix-field"><xsl:with-param name="name">certainty</xsl:with-param>
      <xsl:with-param name="value" select="string(@cert)"/><xsl:with-param name="last" select="true()"/></xsl:call-template>
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
