<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI -> XSL-FO print edition (for Apache FOP or any XSL-FO 1.1 processor).

  Title page; contents with page numbers; the documents with running heads (fo:marker /
  fo:retrieve-marker) and page numbers; the translator's and editors' notes as footnotes; the
  numbered endnotes; the text in its corrected reading, with every correction listed in an
  apparatus ("p. 12: April 4] July 4 (note of Brian Pearce)"); an index of names with the page
  of every mention (fo:page-number-citation to each mention's id).

  Parameters: `font-family` (default "serif"), `page-width`, `page-height`.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:fo="http://www.w3.org/1999/XSL/Format"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:exsl="http://exslt.org/common"
    xmlns:tts="urn:x-trotsky-tei:stream"
    extension-element-prefixes="tts"
    exclude-result-prefixes="tei exsl">

  <xsl:include href="common.xsl"/>
  <xsl:include href="notes.xsl"/>
  <xsl:include href="pieces.xsl"/>

  <!-- Keys only this stylesheet and a few others need (see common.xsl): the mentions of a record (the index) and the references to a note, each as the attribute that points (@ref, @target). -->
  <xsl:key name="tt-mentions" match="/tei:TEI/tei:text//@ref" use="substring-after(., '#')"/>
  <xsl:key name="tt-refs" match="tei:ref/@target" use="substring-after(., '#')"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>

  <xsl:param name="font-family" select="'serif'"/>
  <xsl:param name="page-width" select="'176mm'"/>
  <xsl:param name="page-height" select="'250mm'"/>

  <xsl:variable name="records" select="/tei:TEI/tei:standOff"/>
  <!-- The first document (it starts no page of its own), found once: $tt-docs[1] evaluated for
       each document tests every document with the predicate, the square of their number. -->
  <xsl:variable name="first-doc" select="generate-id($tt-docs[1])"/>
  <!-- Choices whose readings differ: the apparatus of corrections. -->
  <xsl:variable name="corrections" select="/tei:TEI/tei:text/descendant::tei:choice[tei:corr or tei:reg]"/>

  <!-- ============================================================ page layout -->

  <xsl:template match="/">
    <fo:root font-family="{$font-family}" font-size="10.5pt" line-height="1.4" language="en" hyphenate="false">
      <fo:layout-master-set>
        <fo:simple-page-master master-name="title" page-width="{$page-width}" page-height="{$page-height}"
                               margin-top="30mm" margin-bottom="25mm" margin-left="22mm" margin-right="22mm">
          <fo:region-body/>
        </fo:simple-page-master>
        <fo:simple-page-master master-name="page" page-width="{$page-width}" page-height="{$page-height}"
                               margin-top="12mm" margin-bottom="10mm" margin-left="22mm" margin-right="20mm">
          <fo:region-body margin-top="12mm" margin-bottom="12mm"/>
          <fo:region-before extent="8mm"/>
          <fo:region-after extent="8mm"/>
        </fo:simple-page-master>
      </fo:layout-master-set>
      <fo:declarations>
        <x:xmpmeta xmlns:x="adobe:ns:meta/">
          <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
            <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
              <dc:title><xsl:value-of select="$tt-title"/></dc:title>
              <dc:creator><xsl:value-of select="normalize-space($tt-header/tei:fileDesc/tei:titleStmt/tei:author[1])"/></dc:creator>
            </rdf:Description>
            <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
              <xmp:CreatorTool>trotsky-tei</xmp:CreatorTool>
            </rdf:Description>
          </rdf:RDF>
        </x:xmpmeta>
      </fo:declarations>
      <fo:bookmark-tree>
        <!-- a piece of the output, written out every 256 documents (see the body) -->
        <tts:stream>
          <xsl:call-template name="bookmarks"/>
          <xsl:fallback><xsl:call-template name="bookmarks"/></xsl:fallback>
        </tts:stream>
        <xsl:if test="$tt-endnotes">
          <fo:bookmark internal-destination="endnotes"><fo:bookmark-title>Notes</fo:bookmark-title></fo:bookmark>
        </xsl:if>
        <xsl:if test="$corrections">
          <fo:bookmark internal-destination="apparatus"><fo:bookmark-title>Corrections</fo:bookmark-title></fo:bookmark>
        </xsl:if>
        <fo:bookmark internal-destination="index"><fo:bookmark-title>Index of names</fo:bookmark-title></fo:bookmark>
      </fo:bookmark-tree>

      <xsl:call-template name="title-page"/>

      <fo:page-sequence master-reference="page" initial-page-number="1" format="i" force-page-count="no-force">
        <xsl:call-template name="static">
          <xsl:with-param name="head">Contents</xsl:with-param>
        </xsl:call-template>
        <fo:flow flow-name="xsl-region-body">
          <xsl:call-template name="contents"/>
          <xsl:apply-templates select="/tei:TEI/tei:text/tei:front/*[not(self::tei:titlePage)]"/>
        </fo:flow>
      </fo:page-sequence>

      <fo:page-sequence master-reference="page" initial-page-number="1" format="1" force-page-count="no-force">
        <xsl:call-template name="static"/>
        <fo:flow flow-name="xsl-region-body">
          <xsl:apply-templates select="/tei:TEI/tei:text/tei:body"/>
          <xsl:if test="not($tt-docs) and not(/tei:TEI/tei:text/tei:body/*)">
            <fo:block>(no text)</fo:block>
          </xsl:if>
          <xsl:call-template name="endnotes"/>
          <xsl:call-template name="apparatus"/>
          <xsl:call-template name="index"/>
        </fo:flow>
      </fo:page-sequence>
    </fo:root>
  </xsl:template>

  <!-- Running heads: the edition title on even pages, the current document's title on odd pages. -->
  <xsl:template name="static">
    <xsl:param name="head"/>
    <fo:static-content flow-name="xsl-region-before">
      <fo:block text-align-last="justify" font-size="8.5pt" font-style="italic" border-bottom="0.4pt solid #888"
                padding-bottom="1mm">
        <fo:inline keep-together.within-line="always">
          <xsl:choose>
            <xsl:when test="$head != ''"><xsl:value-of select="$head"/></xsl:when>
            <xsl:otherwise><fo:retrieve-marker retrieve-class-name="running-head" retrieve-position="first-including-carryover"
                                               retrieve-boundary="page-sequence"/></xsl:otherwise>
          </xsl:choose>
        </fo:inline>
        <fo:leader leader-pattern="space"/>
        <fo:page-number/>
      </fo:block>
    </fo:static-content>
    <fo:static-content flow-name="xsl-footnote-separator">
      <fo:block><fo:leader leader-pattern="rule" leader-length="30%" rule-thickness="0.4pt"/></fo:block>
    </fo:static-content>
  </xsl:template>

  <xsl:template name="title-page">
    <xsl:variable name="fd" select="$tt-header/tei:fileDesc"/>
    <fo:page-sequence master-reference="title" force-page-count="no-force">
      <fo:flow flow-name="xsl-region-body">
        <fo:block text-align="center">
          <xsl:for-each select="/tei:TEI/tei:text/tei:front/tei:titlePage/tei:docTitle/tei:titlePart">
            <fo:block font-size="{14 - position()}pt" space-after="4mm"><xsl:apply-templates/></fo:block>
          </xsl:for-each>
          <fo:block font-size="20pt" font-weight="bold" space-before="18mm" space-after="10mm" line-height="1.25">
            <xsl:value-of select="$tt-title"/>
          </fo:block>
          <xsl:for-each select="$fd/tei:titleStmt/tei:author">
            <fo:block font-size="15pt" space-after="6mm"><xsl:value-of select="normalize-space(.)"/></fo:block>
          </xsl:for-each>
          <xsl:for-each select="$fd/tei:titleStmt/tei:respStmt[tei:persName]">
            <fo:block font-size="10pt" space-after="2mm" font-style="italic">
              <xsl:value-of select="normalize-space(tei:resp)"/>: <xsl:value-of select="normalize-space(tei:persName)"/>
            </fo:block>
          </xsl:for-each>
        </fo:block>
        <fo:block space-before="45mm">
          <fo:block font-size="8.5pt" text-align="center" space-after="2mm">
            <xsl:for-each select="$fd/tei:sourceDesc/tei:bibl[1]">
              <xsl:text>Source: </xsl:text><xsl:call-template name="tt-bibl-text"/>
            </xsl:for-each>
          </fo:block>
          <fo:block font-size="8pt" text-align="center" color="#555">
            <xsl:value-of select="normalize-space($fd/tei:publicationStmt/tei:availability)"/>
          </fo:block>
        </fo:block>
      </fo:flow>
    </fo:page-sequence>
  </xsl:template>

  <xsl:template name="bookmarks">
    <xsl:for-each select="$tt-docs">
      <fo:bookmark internal-destination="{generate-id()}">
        <fo:bookmark-title><xsl:call-template name="doc-title"/></fo:bookmark-title>
      </fo:bookmark>
      <xsl:if test="position() mod 256 = 0"><tts:cut><xsl:fallback/></tts:cut></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- The contents: a piece of the output, written out every 256 documents (see the body). -->
  <xsl:template name="contents">
    <fo:block font-size="15pt" font-weight="bold" space-after="6mm">Contents</fo:block>
    <tts:stream>
      <xsl:call-template name="contents-lines"/>
      <xsl:fallback><xsl:call-template name="contents-lines"/></xsl:fallback>
    </tts:stream>
    <xsl:if test="$tt-endnotes">
      <xsl:call-template name="toc-line"><xsl:with-param name="id">endnotes</xsl:with-param><xsl:with-param name="label">Notes</xsl:with-param></xsl:call-template>
    </xsl:if>
    <xsl:if test="$corrections">
      <xsl:call-template name="toc-line"><xsl:with-param name="id">apparatus</xsl:with-param><xsl:with-param name="label">Corrections</xsl:with-param></xsl:call-template>
    </xsl:if>
    <xsl:call-template name="toc-line"><xsl:with-param name="id">index</xsl:with-param><xsl:with-param name="label">Index of names</xsl:with-param></xsl:call-template>
  </xsl:template>

  <xsl:template name="contents-lines">
    <xsl:for-each select="$tt-docs">
      <fo:block text-align-last="justify" space-after="2mm" start-indent="6mm" text-indent="-6mm" end-indent="8mm"
                last-line-end-indent="-8mm">
        <fo:basic-link internal-destination="{generate-id()}">
          <xsl:call-template name="doc-label"/><xsl:text>. </xsl:text>
          <xsl:call-template name="doc-title"/>
        </fo:basic-link>
        <fo:leader leader-pattern="dots"/>
        <fo:page-number-citation ref-id="{generate-id()}"/>
      </fo:block>
      <xsl:if test="position() mod 256 = 0"><tts:cut><xsl:fallback/></tts:cut></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="toc-line">
    <xsl:param name="id"/>
    <xsl:param name="label"/>
    <fo:block text-align-last="justify" space-before="2mm">
      <fo:basic-link internal-destination="{$id}"><xsl:value-of select="$label"/></fo:basic-link>
      <fo:leader leader-pattern="dots"/>
      <fo:page-number-citation ref-id="{$id}"/>
    </fo:block>
  </xsl:template>

  <xsl:template name="doc-label">
    <xsl:param name="div" select="."/>
    <xsl:choose>
      <xsl:when test="$div/@n"><xsl:value-of select="$div/@n"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="count($div/preceding-sibling::tei:div[@type='document']) + 1"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="doc-title">
    <xsl:param name="div" select="."/>
    <xsl:variable name="t"><xsl:apply-templates select="$div/tei:head[1]" mode="plain"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="normalize-space($t) != ''"><xsl:value-of select="normalize-space($t)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat($div/@subtype, ' ', $div/@n)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ text -->

  <!-- The body is one piece of the output, written out after each document (trotsky_tei/stream.py):
       the FO of a large corpus is never held whole in memory. So is each index entry, and the
       apparatus, cut every 64 entries. -->
  <xsl:template match="tei:body">
    <tts:stream>
      <xsl:call-template name="tt-body-in-pieces"/>
      <xsl:fallback><xsl:apply-templates/></xsl:fallback>
    </tts:stream>
  </xsl:template>

  <!-- Templates are chosen by element name, and conditions are tested inside them: libxslt
       counts a node's siblings to match a pattern with a predicate, which for an element among
       thousands of siblings was quadratic (html.xsl, tei:div; docs/exports.md, "Speed"). -->
  <xsl:template match="tei:div">
    <xsl:choose>
      <xsl:when test="@type = 'document'"><xsl:call-template name="document"/></xsl:when>
      <xsl:otherwise>
        <fo:block space-before="4mm">
          <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
          <xsl:if test="@type = 'headnote'"><xsl:attribute name="font-style">italic</xsl:attribute><xsl:attribute name="space-before">12mm</xsl:attribute></xsl:if>
          <xsl:call-template name="tt-content-in-pieces"/>
        </fo:block>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="document">
    <xsl:variable name="title"><xsl:call-template name="doc-title"/></xsl:variable>
    <fo:block id="{generate-id()}" space-before="10mm" space-after="4mm">
      <xsl:if test="generate-id() != $first-doc and $first-doc != ''"><xsl:attribute name="break-before">page</xsl:attribute></xsl:if>
      <fo:marker marker-class-name="running-head">
        <xsl:call-template name="doc-label"/><xsl:text>. </xsl:text>
        <xsl:choose>
          <xsl:when test="string-length($title) &gt; 70"><xsl:value-of select="concat(substring($title, 1, 67), '…')"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$title"/></xsl:otherwise>
        </xsl:choose>
      </fo:marker>
      <xsl:if test="not(tei:head)">
        <fo:block font-size="13pt" font-weight="bold" space-after="4mm" keep-with-next.within-page="always">
          <xsl:value-of select="$title"/>
        </fo:block>
      </xsl:if>
      <xsl:call-template name="tt-content-in-pieces"/>
    </fo:block>
    <tts:cut><xsl:fallback/></tts:cut>
  </xsl:template>

  <xsl:template match="tei:head">
    <xsl:choose>
      <xsl:when test="parent::tei:div[not(@type = 'document')]">
        <fo:block font-weight="bold" space-after="2mm" keep-with-next.within-page="always"><xsl:apply-templates/></fo:block>
      </xsl:when>
      <xsl:otherwise>
        <fo:block font-size="12.5pt" font-weight="bold" line-height="1.3" space-after="4mm" keep-with-next.within-page="always"
                  text-align="left">
          <fo:inline font-weight="normal" font-size="10pt"><xsl:call-template name="doc-label"><xsl:with-param name="div" select=".."/></xsl:call-template>. </fo:inline>
          <xsl:apply-templates/>
        </fo:block>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The first paragraph of a run is not indented. -->
  <xsl:template match="tei:p">
    <xsl:choose>
      <xsl:when test="preceding-sibling::tei:p">
        <fo:block text-align="justify" text-indent="5mm" space-after="1.5mm"><xsl:call-template name="tt-content-in-pieces"/></fo:block>
      </xsl:when>
      <xsl:otherwise><fo:block text-align="justify" space-after="1.5mm"><xsl:call-template name="tt-content-in-pieces"/></fo:block></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer">
    <fo:block space-before="2mm" space-after="3mm"><xsl:apply-templates/></fo:block>
  </xsl:template>
  <xsl:template match="tei:dateline">
    <fo:block font-style="italic" keep-with-previous.within-page="always">
      <xsl:if test="parent::tei:closer"><xsl:attribute name="text-align">right</xsl:attribute></xsl:if>
      <xsl:apply-templates/>
    </fo:block>
  </xsl:template>
  <xsl:template match="tei:signed | tei:salute">
    <fo:block text-align="right"><xsl:apply-templates/></fo:block>
  </xsl:template>
  <xsl:template match="tei:bibl">
    <xsl:choose>
      <xsl:when test="parent::tei:note[@type = 'publication'] or ancestor::tei:p"><fo:inline><xsl:apply-templates/></fo:inline></xsl:when>
      <xsl:otherwise><fo:block font-size="9pt" space-before="2mm"><xsl:apply-templates/></fo:block></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:list">
    <fo:list-block provisional-distance-between-starts="8mm" provisional-label-separation="2mm" space-before="2mm" space-after="2mm">
      <xsl:apply-templates select="tei:item"/>
    </fo:list-block>
  </xsl:template>
  <!-- The item's label: its own label element (first child or the sibling before it), else @n. -->
  <xsl:template match="tei:item">
    <fo:list-item space-after="1.5mm">
      <fo:list-item-label end-indent="label-end()">
        <fo:block text-align="end">
          <xsl:choose>
            <xsl:when test="*[1][self::tei:label] and not(tei:label[1]/preceding-sibling::node()[normalize-space()])">
              <xsl:apply-templates select="tei:label[1]/node()"/>
            </xsl:when>
            <xsl:when test="preceding-sibling::*[1][self::tei:label]"><xsl:apply-templates select="preceding-sibling::*[1]/node()"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="@n"/></xsl:otherwise>
          </xsl:choose>
        </fo:block>
      </fo:list-item-label>
      <fo:list-item-body start-indent="body-start()">
        <fo:block text-align="justify"><xsl:apply-templates/></fo:block>
      </fo:list-item-body>
    </fo:list-item>
  </xsl:template>
  <xsl:template match="tei:item/tei:label[not(preceding-sibling::node()[normalize-space()])]"/>

  <xsl:template match="tei:quote">
    <fo:block start-indent="8mm" end-indent="8mm" font-size="9.5pt" space-before="2mm" space-after="2mm"><xsl:apply-templates/></fo:block>
  </xsl:template>
  <xsl:template match="tei:p//tei:quote | tei:item//tei:quote"><fo:inline><xsl:apply-templates/></fo:inline></xsl:template>
  <xsl:template match="tei:title | tei:foreign"><fo:inline font-style="italic"><xsl:apply-templates/></fo:inline></xsl:template>
  <xsl:template match="tei:hi">
    <xsl:choose>
      <xsl:when test="@rend = 'italic'"><fo:inline font-style="italic"><xsl:apply-templates/></fo:inline></xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:lb"><fo:block/></xsl:template>
  <xsl:template match="tei:label"><fo:inline font-weight="bold"><xsl:apply-templates/></fo:inline></xsl:template>

  <xsl:template match="tei:supplied">
    <fo:inline>[<xsl:apply-templates/>]</fo:inline>
  </xsl:template>

  <!-- Mentions and dates carry the id the index and the apparatus cite. -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName | tei:date">
    <xsl:variable name="id" select="concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id)))"/>
    <fo:inline id="{$id}"><xsl:apply-templates/></fo:inline>
  </xsl:template>

  <!-- The corrected reading is printed; the apparatus lists the source reading. -->
  <xsl:template match="tei:choice">
    <xsl:variable name="id" select="concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id)))"/>
    <fo:inline id="{$id}">
      <xsl:apply-templates select="((tei:corr | tei:reg)[1] | tei:*[not(@source)][not(../tei:corr | ../tei:reg)][1])[1]/node()"/>
    </fo:inline>
  </xsl:template>

  <!-- Notes standing in the text: footnotes. -->
  <xsl:template match="tei:note">
    <xsl:choose>
      <xsl:when test="@place = 'end'"/>           <!-- endnotes stay in the back -->
      <xsl:when test="@type = 'publication'"><fo:block font-size="9pt" space-before="1mm"><xsl:apply-templates/></fo:block></xsl:when>
      <xsl:otherwise><xsl:call-template name="footnote"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template name="footnote">
    <xsl:variable name="id" select="concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id)))"/>
    <xsl:variable name="num"><xsl:call-template name="tt-note-number"/></xsl:variable>
    <fo:footnote>
      <fo:inline baseline-shift="super" font-size="7pt" id="{$id}"><xsl:value-of select="$num"/></fo:inline>
      <fo:footnote-body>
        <fo:block font-size="8.5pt" line-height="1.3" text-align="justify" start-indent="0mm" text-indent="0mm" font-style="normal" font-weight="normal">
          <fo:inline baseline-shift="super" font-size="6.5pt"><xsl:value-of select="$num"/></fo:inline>
          <xsl:text> </xsl:text>
          <xsl:apply-templates/>
          <xsl:if test="@resp">
            <xsl:text> — </xsl:text><xsl:call-template name="resp-name"><xsl:with-param name="ref" select="@resp"/></xsl:call-template>
          </xsl:if>
        </fo:block>
      </fo:footnote-body>
    </fo:footnote>
  </xsl:template>
  <xsl:template match="tei:note/tei:p"><xsl:apply-templates/><xsl:if test="following-sibling::tei:p"><xsl:text> </xsl:text></xsl:if></xsl:template>

  <!-- Endnotes stay in the back; their references are superscript links. -->
  <xsl:template match="tei:back"/>

  <xsl:template match="tei:ref">
    <xsl:choose>
      <xsl:when test="starts-with(@target, '#')"><xsl:call-template name="noteref"/></xsl:when>
      <xsl:otherwise><fo:inline><xsl:apply-templates/></fo:inline></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template name="noteref">
    <xsl:variable name="id" select="concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id)))"/>
    <xsl:variable name="t" select="substring-after(@target, '#')"/>
    <fo:basic-link internal-destination="{$t}" id="{$id}">
      <fo:inline baseline-shift="super" font-size="7pt"><xsl:value-of select="(@n | key('tt-id', $t)/../@n)[1]"/></fo:inline>
    </fo:basic-link>
  </xsl:template>

  <xsl:template name="endnotes">
    <xsl:variable name="notes" select="$tt-endnotes"/>
    <xsl:if test="$notes">
      <fo:block id="endnotes" break-before="page">
        <fo:marker marker-class-name="running-head">Notes</fo:marker>
        <fo:block font-size="14pt" font-weight="bold" space-after="5mm">Notes</fo:block>
        <xsl:for-each select="$notes">
          <fo:block id="{@xml:id}" font-size="9.5pt" text-align="justify" space-after="2mm">
            <xsl:if test="not(tei:label)"><fo:inline font-weight="bold"><xsl:value-of select="@n"/>. </fo:inline></xsl:if>
            <xsl:apply-templates/>
            <xsl:variable name="refs" select="key('tt-refs', @xml:id)"/>
            <xsl:if test="$refs">
              <fo:inline font-size="8pt" color="#444"> (see p.<xsl:for-each select="$refs">
                <xsl:variable name="rid" select="concat(../@xml:id, substring(concat('m-', generate-id(..)), 1, 99 * not(../@xml:id)))"/>
                <xsl:text> </xsl:text><fo:basic-link internal-destination="{$rid}"><fo:page-number-citation ref-id="{$rid}"/></fo:basic-link>
                <xsl:if test="position() != last()">,</xsl:if>
              </xsl:for-each>)</fo:inline>
            </xsl:if>
          </fo:block>
        </xsl:for-each>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <!-- Name of a responsibility (#pearce -> Brian Pearce). -->
  <xsl:template name="resp-name">
    <xsl:param name="ref"/>
    <xsl:variable name="r" select="key('tt-id', substring-after($ref, '#'))/.."/>
    <xsl:choose>
      <xsl:when test="$r"><xsl:value-of select="normalize-space(($r/tei:persName | $r/tei:orgName | $r/tei:name)[1])"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="substring-after($ref, '#')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ apparatus -->

  <xsl:template name="apparatus">
    <xsl:if test="$corrections">
      <fo:block id="apparatus" break-before="page">
        <fo:marker marker-class-name="running-head">Corrections</fo:marker>
        <fo:block font-size="14pt" font-weight="bold" space-after="2mm">Corrections</fo:block>
        <fo:block font-size="8.5pt" font-style="italic" space-after="4mm">
          The text is printed in its corrected reading. Each entry gives the page, the reading printed,
          a square bracket, the reading of the source, and who made the correction.
        </fo:block>
        <tts:stream>
          <xsl:call-template name="apparatus-entries"/>
          <xsl:fallback><xsl:call-template name="apparatus-entries"/></xsl:fallback>
        </tts:stream>
      </fo:block>
    </xsl:if>
  </xsl:template>

  <xsl:template name="apparatus-entries">
    <xsl:for-each select="$corrections">
      <xsl:call-template name="apparatus-entry"/>
      <xsl:if test="position() mod 64 = 0"><tts:cut><xsl:fallback/></tts:cut></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- One correction: page, the reading printed, the source's reading, who corrected it. -->
  <xsl:template name="apparatus-entry">
    <xsl:variable name="id" select="concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id)))"/>
    <xsl:variable name="cor" select="(tei:corr | tei:reg)[1]"/>
    <xsl:variable name="from-note" select="tei:*[@source][1]"/>
    <xsl:variable name="src" select="((tei:sic | tei:orig)[not(@source)] | $from-note)[1]"/>
    <fo:block font-size="9pt" space-after="1mm" start-indent="10mm" text-indent="-10mm">
      <fo:basic-link internal-destination="{$id}">p. <fo:page-number-citation ref-id="{$id}"/></fo:basic-link>
      <xsl:text>: </xsl:text>
      <xsl:value-of select="normalize-space($cor)"/>
      <xsl:text>] </xsl:text>
      <fo:inline font-style="italic"><xsl:value-of select="normalize-space($src)"/></fo:inline>
      <xsl:text> (</xsl:text>
      <xsl:choose>
        <xsl:when test="$from-note">
          <xsl:variable name="note" select="key('tt-id', substring-after($from-note/@source, '#'))/.."/>
          <xsl:text>note of </xsl:text>
          <xsl:call-template name="resp-name"><xsl:with-param name="ref" select="($note/@resp | $cor/@resp)[1]"/></xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:choose>
            <xsl:when test="$cor/self::tei:reg">regularised by </xsl:when>
            <xsl:otherwise>corrected by </xsl:otherwise>
          </xsl:choose>
          <xsl:call-template name="resp-name"><xsl:with-param name="ref" select="($cor/@resp | @resp)[1]"/></xsl:call-template>
          <xsl:if test="$cor/@cert">, certainty <xsl:value-of select="$cor/@cert"/></xsl:if>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:text>)</xsl:text>
    </fo:block>
  </xsl:template>

  <!-- ============================================================ index -->

  <xsl:template name="index">
    <fo:block id="index" break-before="page">
      <fo:marker marker-class-name="running-head">Index of names</fo:marker>
      <fo:block font-size="14pt" font-weight="bold" space-after="4mm">Index of names</fo:block>
      <xsl:call-template name="index-part">
        <xsl:with-param name="title">Persons</xsl:with-param>
        <xsl:with-param name="recs" select="$records/descendant::tei:person[@xml:id]"/>
      </xsl:call-template>
      <xsl:call-template name="index-part">
        <xsl:with-param name="title">Places</xsl:with-param>
        <xsl:with-param name="recs" select="$records/descendant::tei:place[@xml:id]"/>
      </xsl:call-template>
      <xsl:call-template name="index-part">
        <xsl:with-param name="title">Organisations</xsl:with-param>
        <xsl:with-param name="recs" select="$records/descendant::tei:org[@xml:id]"/>
      </xsl:call-template>
    </fo:block>
  </xsl:template>

  <!-- One entry per record: heading, life dates, then the page of every mention. The pages are
       wrapped in an inline with role="index-pages": the PDF step keeps one citation per page. -->
  <xsl:template name="index-part">
    <xsl:param name="title"/>
    <xsl:param name="recs"/>
    <xsl:variable name="used" select="$recs[key('tt-mentions', @xml:id)]"/>
    <xsl:if test="$used">
      <fo:block font-weight="bold" space-before="4mm" space-after="2mm" keep-with-next.within-page="always"><xsl:value-of select="$title"/></fo:block>
      <xsl:variable name="order"><xsl:call-template name="tt-index-order"><xsl:with-param name="recs" select="$used"/></xsl:call-template></xsl:variable>
      <xsl:for-each select="exsl:node-set($order)/e">
        <xsl:variable name="id" select="string(@id)"/>
        <xsl:variable name="label" select="string(@label)"/>
        <xsl:for-each select="$tt-root">
          <xsl:for-each select="key('tt-id', $id)/..">
            <tts:stream>
              <xsl:call-template name="index-entry"><xsl:with-param name="id" select="$id"/><xsl:with-param name="label" select="$label"/></xsl:call-template>
              <xsl:fallback><xsl:call-template name="index-entry"><xsl:with-param name="id" select="$id"/><xsl:with-param name="label" select="$label"/></xsl:call-template></xsl:fallback>
            </tts:stream>
          </xsl:for-each>
        </xsl:for-each>
      </xsl:for-each>
    </xsl:if>
  </xsl:template>

  <xsl:template name="index-entry">
    <xsl:param name="id"/>
    <xsl:param name="label"/>
    <fo:block font-size="9pt" start-indent="6mm" text-indent="-6mm" space-after="0.8mm">
      <fo:inline font-weight="bold"><xsl:value-of select="$label"/></fo:inline>
      <xsl:variable name="life"><xsl:call-template name="tt-life-dates"/></xsl:variable>
      <xsl:if test="$life != ''"><xsl:text> (</xsl:text><xsl:value-of select="$life"/><xsl:text>)</xsl:text></xsl:if>
      <xsl:text> </xsl:text>
      <fo:inline role="index-pages">
        <xsl:for-each select="key('tt-mentions', $id)">
          <xsl:variable name="mid" select="concat(../@xml:id, substring(concat('m-', generate-id(..)), 1, 99 * not(../@xml:id)))"/>
          <fo:basic-link internal-destination="{$mid}"><fo:page-number-citation ref-id="{$mid}"/></fo:basic-link>
          <xsl:if test="position() != last()">, </xsl:if>
        </xsl:for-each>
      </fo:inline>
    </fo:block>
  </xsl:template>

  <!-- ============================================================ plain text (titles) -->

  <xsl:template match="tei:note | tei:ref" mode="plain"/>
  <xsl:template match="tei:choice" mode="plain">
    <xsl:apply-templates select="((tei:corr | tei:reg)[1] | tei:*[not(@source)][not(../tei:corr | ../tei:reg)][1])[1]/node()" mode="plain"/>
  </xsl:template>
  <xsl:template match="tei:lb" mode="plain"><xsl:text> </xsl:text></xsl:template>
</xsl:stylesheet>
