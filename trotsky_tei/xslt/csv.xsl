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
      <xsl:call-template name="ix-row"><xsl:with-param name="position" select="position()"/></xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="ix-field">
    <xsl:param name="name"/>
    <xsl:param name="value"/>
    <xsl:param name="last" select="false()"/>
    <xsl:param name="number" select="false()"/>
    <xsl:text>"</xsl:text>
    <xsl:choose>
      <xsl:when test="contains($value, '&quot;')">
        <xsl:call-template name="ix-replace">
          <xsl:with-param name="s" select="string($value)"/>
          <xsl:with-param name="from">"</xsl:with-param>
          <xsl:with-param name="to">""</xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$value"/></xsl:otherwise>
    </xsl:choose>
    <xsl:text>"</xsl:text>
    <xsl:choose>
      <xsl:when test="$last"><xsl:text>&#13;&#10;</xsl:text></xsl:when>
      <xsl:otherwise><xsl:text>,</xsl:text></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
