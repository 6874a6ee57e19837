<?xml version="1.0" encoding="UTF-8"?>
<!--
  The body of an edition in pieces, for the stylesheets whose output follows the text (HTML, FO,
  plain text). Included, never run alone.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:tts="urn:x-trotsky-tei:stream"
    extension-element-prefixes="tts"
    exclude-result-prefixes="tei">

  <!-- The children of the body, inside the body's tts:stream (stream.py), written out after
       each division that is not a document (a document is written out after itself) and after
       every 64 other children: the output of a body of chapters, or of bare paragraphs, is not
       held whole either. Other processors apply the templates to the children at once. -->
  <xsl:template name="tt-body-in-pieces">
    <xsl:for-each select="node()">
      <xsl:apply-templates select="."/>
      <xsl:if test="self::tei:div[not(@type = 'document')] or position() mod 64 = 0"><tts:cut><xsl:fallback/></tts:cut></xsl:if>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
