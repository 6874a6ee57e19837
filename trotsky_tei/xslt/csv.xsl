<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI -> entity index as CSV (RFC 4180: comma-separated, every field double-quoted, quotes
  doubled, CRLF line ends, UTF-8, a header row). One row per name mention; the columns are
  described in index-common.xsl and docs/exports.md.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <xsl:include href="index-common.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:value-of select="translate($ix-columns, ' ', ',')"/>
    <xsl:text>&#13;&#10;</xsl:text>
    <xsl:for-each select="$ix-mentions">
      <xsl:variable name="rec" select="key('tt-id', substring-after(@ref, '#'))[self::tei:person or self::tei:place or self::tei:org]"/>
      <xsl:variable name="doc" select="ancestor::tei:div[@type='document'][1]"/>
      <xsl:variable name="surface"><xsl:call-template name="ix-surface"/></xsl:variable>
      <xsl:variable name="title"><xsl:call-template name="ix-title"><xsl:with-param name="head" select="$doc/tei:head[1]"/></xsl:call-template></xsl:variable>
      <xsl:text>"</xsl:text>
      <xsl:value-of select="$rec/@xml:id"/>
      <xsl:text>","</xsl:text>
      <xsl:value-of select="concat(substring-before(concat(local-name(), 'Name'), 'Name'), substring('on', 1, 2 * (local-name() = 'persName')))"/>
      <xsl:text>","</xsl:text>
      <xsl:call-template name="q"><xsl:with-param name="s" select="normalize-space(($rec/*[@type='preferred'] | $rec/*[1][not(../*[@type='preferred'])])[1])"/></xsl:call-template>
      <xsl:text>","</xsl:text>
      <xsl:call-template name="q"><xsl:with-param name="s" select="string($surface)"/></xsl:call-template>
      <xsl:text>","</xsl:text>
      <xsl:value-of select="concat($doc/@xml:id, substring('front', 1, 5 * (not($doc) and boolean(ancestor::tei:front))),
                                   substring('back', 1, 4 * (not($doc) and boolean(ancestor::tei:back))))"/>
      <xsl:text>","</xsl:text>
      <xsl:call-template name="q"><xsl:with-param name="s" select="string($title)"/></xsl:call-template>
      <xsl:text>","</xsl:text>
      <xsl:value-of select="position()"/>
      <xsl:text>","</xsl:text>
      <xsl:call-template name="q"><xsl:with-param name="s" select="normalize-space($rec/tei:idno[@type='wikidata'][1])"/></xsl:call-template>
      <xsl:text>","</xsl:text>
      <xsl:call-template name="q"><xsl:with-param name="s" select="normalize-space($rec/tei:idno[@type='geonames'][1])"/></xsl:call-template>
      <xsl:text>","</xsl:text>
      <xsl:call-template name="q"><xsl:with-param name="s" select="string(@cert)"/></xsl:call-template>
      <xsl:text>"&#13;&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <!-- A field's text with its quotation marks doubled. -->
  <xsl:template name="q">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, '&quot;')">
        <xsl:call-template name="ix-replace">
          <xsl:with-param name="s" select="$s"/>
          <xsl:with-param name="from">"</xsl:with-param>
          <xsl:with-param name="to">""</xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
