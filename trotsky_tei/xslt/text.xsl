<?xml version="1.0" encoding="UTF-8"?>
<!-- Plain text from TEI. reading='source' gives back the source text (every non-whitespace
     character in order, paragraph breaks kept); reading='corrected' applies every correction. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:tei="http://www.tei-c.org/ns/1.0" exclude-result-prefixes="tei"
                xmlns:tts="urn:x-trotsky-tei:stream" extension-element-prefixes="tts">
  <xsl:include href="pieces.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:param name="reading" select="'source'"/>
  <!-- Indentation between blocks is not text. (No xsl:strip-space: libxslt would strip the
       caller's tree in place. No predicate on text() either: libxslt tests a predicated step
       against every sibling before the node, which is quadratic in the documents of a body.) -->
  <xsl:template match="tei:TEI/text() | tei:text/text() | tei:front/text() | tei:body/text()
      | tei:back/text() | tei:div/text() | tei:titlePage/text() | tei:docTitle/text()
      | tei:opener/text() | tei:closer/text() | tei:list/text() | tei:choice/text()
      | tei:standOff/text()">
    <xsl:if test="normalize-space()"><xsl:value-of select="."/></xsl:if>
  </xsl:template>

  <!-- (The output method writes only text: the element around it is not written; it holds
       the placeholders of the documents' pieces, which a document node cannot.) -->
  <xsl:template match="/">
    <text><xsl:apply-templates select="tei:TEI/tei:text"/></text>
  </xsl:template>
  <!-- The body is one piece of the output, written out after each document
       (trotsky_tei/stream.py): the text of a large corpus is never held whole in memory. -->
  <xsl:template match="tei:body">
    <tts:stream>
      <xsl:call-template name="tt-body-in-pieces"/>
      <xsl:fallback><xsl:apply-templates/></xsl:fallback>
    </tts:stream>
  </xsl:template>
  <!-- Templates are chosen by element name, and conditions are tested inside them: libxslt
       counts a node's siblings to match a pattern with a predicate, which for an element among
       thousands of siblings was quadratic (docs/exports.md, "Speed"). -->
  <!-- A long division or paragraph (a book in one document, a text without line breaks in one
       paragraph) is cut in pieces of its own as well (pieces.xsl). -->
  <xsl:template match="tei:div">
    <xsl:call-template name="tt-content-in-pieces"/>
    <xsl:if test="@type = 'document'"><tts:cut><xsl:fallback/></tts:cut></xsl:if>
  </xsl:template>

  <!-- Blocks: their content, then a blank line. -->
  <xsl:template match="tei:titlePart | tei:dateline | tei:signed | tei:salute | tei:bibl | tei:item">
    <xsl:apply-templates/>
    <xsl:text>&#10;&#10;</xsl:text>
  </xsl:template>
  <!-- A paragraph of a bracketed division stands in brackets. -->
  <xsl:template match="tei:p">
    <xsl:if test="parent::tei:div[@rend = 'brackets']">[</xsl:if>
    <xsl:call-template name="tt-content-in-pieces"/>
    <xsl:if test="parent::tei:div[@rend = 'brackets']">]</xsl:if>
    <xsl:text>&#10;&#10;</xsl:text>
  </xsl:template>
  <!-- A heading that consists only of an editor-supplied title is not source text. -->
  <xsl:template match="tei:head">
    <xsl:if test="not(not(text()[normalize-space()]) and tei:supplied and count(*) = 1)">
      <xsl:apply-templates/>
      <xsl:text>&#10;&#10;</xsl:text>
    </xsl:if>
  </xsl:template>
  <xsl:template match="tei:list/tei:label">
    <xsl:apply-templates/>
    <xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="tei:supplied"/>

  <xsl:template match="tei:lb">
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <!-- Notes: those standing in brackets or parentheses in the source, in them; an endnote as a
       block; any other (a publication line) as its content. -->
  <xsl:template match="tei:note">
    <xsl:choose>
      <xsl:when test="@rend = 'parens'">(<xsl:apply-templates/>)</xsl:when>
      <xsl:when test="@rend = 'brackets'">[<xsl:apply-templates/>]</xsl:when>
      <xsl:when test="@type = 'publication'"><xsl:apply-templates/></xsl:when>
      <xsl:when test="@place = 'end'"><xsl:apply-templates/><xsl:text>&#10;&#10;</xsl:text></xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Corrections: the source reading is the child that transcribes the source (sic or orig
       without @source; where the sic was taken from a note, its sibling); the corrected reading
       is corr or reg. -->
  <xsl:template match="tei:choice">
    <xsl:choose>
      <xsl:when test="$reading = 'corrected'">
        <xsl:apply-templates select="(tei:corr | tei:reg)[1]"/>
      </xsl:when>
      <xsl:when test="(tei:sic | tei:orig)[not(@source)]">
        <xsl:apply-templates select="(tei:sic | tei:orig)[not(@source)][1]"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates select="(tei:corr | tei:reg)[1]"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="text()">
    <xsl:value-of select="."/>
  </xsl:template>
</xsl:stylesheet>
