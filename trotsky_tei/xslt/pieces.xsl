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

  <!-- The children of the body (or of a long division), inside its tts:stream (stream.py), written out after
       each division that is not a document (a document is written out after itself) and after
       every 64 other children: the output of a body of chapters, or of bare paragraphs, is not
       held whole either. Other processors apply the templates to the children at once. -->
  <xsl:template name="tt-body-in-pieces">
    <xsl:for-each select="node()">
      <xsl:apply-templates select="."/>
      <!-- (the cut runs on the parent: lxml calls no extension on a text node) -->
      <xsl:if test="self::tei:div[not(@type = 'document')] or position() mod 64 = 0">
        <xsl:for-each select=".."><tts:cut><xsl:fallback/></tts:cut></xsl:for-each>
      </xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- The content of a division (a document, a chapter) or a paragraph where it is long: a
       piece of its own inside the piece it stands in (stream.py), cut like the body, so that a
       book in one document, or a text without line breaks in one paragraph, is not held whole
       either. Content of fewer than a thousand elements (a long chapter) is made in place: as
       a piece it would cost more than it saves. -->
  <xsl:template name="tt-content-in-pieces">
    <xsl:choose>
      <xsl:when test="descendant::*[1000]">
        <tts:stream>
          <xsl:call-template name="tt-body-in-pieces"/>
          <xsl:fallback><xsl:apply-templates/></xsl:fallback>
        </tts:stream>
      </xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
