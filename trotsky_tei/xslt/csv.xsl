<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI -> entity index as CSV (RFC 4180: comma-separated, every field double-quoted, quotes
  doubled, CRLF line ends, UTF-8, a header row). One row per name mention; the columns are
  described in index-common.xsl and docs/exports.md.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tts="urn:x-trotsky-tei:stream"
    extension-element-prefixes="tts"
    exclude-result-prefixes="tei">

  <xsl:include href="index-common.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/">
    <xsl:value-of select="translate($ix-columns, ' ', ',')"/>
    <xsl:text>&#13;&#10;</xsl:text>
    <!-- The rows are one piece of the output, written out every 500 rows (trotsky_tei/stream.py):
         the table of a large corpus is never held whole in memory. -->
    <tts:stream>
      <xsl:call-template name="rows"/>
      <xsl:fallback><xsl:call-template name="rows"/></xsl:fallback>
    </tts:stream>
  </xsl:template>

  <xsl:template name="rows">
    <xsl:for-each select="$ix-mentions">
      <xsl:variable name="doc" select="ancestor::tei:div[@type='document'][1]"/>
      <xsl:variable name="head" select="key('ix-head', generate-id($doc))[1]"/>
      <!-- The surface and the document title are the string values unless they hold markup
           that the corrected reading changes; only then are they built as fragments. -->
      <xsl:choose>
        <xsl:when test="descendant::tei:choice or descendant::tei:note or descendant::tei:ref or descendant::tei:lb
                        or $head/descendant::tei:choice or $head/descendant::tei:note or $head/descendant::tei:ref
                        or $head/descendant::tei:lb or $head/descendant::tei:supplied">
          <xsl:call-template name="row">
            <xsl:with-param name="doc" select="$doc"/>
            <xsl:with-param name="surface"><xsl:call-template name="ix-surface"/></xsl:with-param>
            <xsl:with-param name="title"><xsl:call-template name="ix-title"><xsl:with-param name="head" select="$head"/></xsl:call-template></xsl:with-param>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="row">
            <xsl:with-param name="doc" select="$doc"/>
            <xsl:with-param name="surface" select="normalize-space(.)"/>
            <xsl:with-param name="title" select="normalize-space($head)"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="position() mod 500 = 0"><tts:cut><xsl:fallback/></tts:cut></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- The row of the current mention (position() is its ordinal: call-template keeps the
       current node list). A row without quotation marks needs no escaping. -->
  <xsl:template name="row">
    <xsl:param name="doc"/>
    <xsl:param name="surface"/>
    <xsl:param name="title"/>
    <xsl:variable name="rec" select="key('tt-id', substring-after(@ref, '#'))/parent::*[self::tei:person or self::tei:place or self::tei:org]"/>
    <xsl:variable name="pref" select="normalize-space(($rec/*[@type='preferred'] | $rec/*[1][not(../*[@type='preferred'])])[1])"/>
    <xsl:variable name="wd" select="normalize-space($rec/tei:idno[@type='wikidata'][1])"/>
    <xsl:variable name="gn" select="normalize-space($rec/tei:idno[@type='geonames'][1])"/>
    <xsl:variable name="type" select="concat(substring-before(concat(local-name(), 'Name'), 'Name'), substring('on', 1, 2 * (local-name() = 'persName')))"/>
    <xsl:variable name="docid" select="concat($doc/@xml:id, substring('front', 1, 5 * (not($doc) and boolean(ancestor::tei:front))),
                                              substring('back', 1, 4 * (not($doc) and boolean(ancestor::tei:back))))"/>
    <xsl:choose>
      <xsl:when test="not(contains(concat($pref, $surface, $title, $wd, $gn, @cert), '&quot;'))">
        <xsl:text>"</xsl:text>
        <xsl:value-of select="$rec/@xml:id"/>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="$type"/>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="$pref"/>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="$surface"/>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="$docid"/>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="$title"/>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="position()"/>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="$wd"/>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="$gn"/>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="@cert"/>
        <xsl:text>"&#13;&#10;</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>"</xsl:text>
        <xsl:value-of select="$rec/@xml:id"/>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="$type"/>
        <xsl:text>","</xsl:text>
        <xsl:call-template name="q"><xsl:with-param name="s" select="$pref"/></xsl:call-template>
        <xsl:text>","</xsl:text>
        <xsl:call-template name="q"><xsl:with-param name="s" select="string($surface)"/></xsl:call-template>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="$docid"/>
        <xsl:text>","</xsl:text>
        <xsl:call-template name="q"><xsl:with-param name="s" select="string($title)"/></xsl:call-template>
        <xsl:text>","</xsl:text>
        <xsl:value-of select="position()"/>
        <xsl:text>","</xsl:text>
        <xsl:call-template name="q"><xsl:with-param name="s" select="$wd"/></xsl:call-template>
        <xsl:text>","</xsl:text>
        <xsl:call-template name="q"><xsl:with-param name="s" select="$gn"/></xsl:call-template>
        <xsl:text>","</xsl:text>
        <xsl:call-template name="q"><xsl:with-param name="s" select="string(@cert)"/></xsl:call-template>
        <xsl:text>"&#13;&#10;</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
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
