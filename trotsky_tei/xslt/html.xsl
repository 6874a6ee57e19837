<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI -> standalone HTML reading edition (one file, inline CSS and JavaScript, no network).

  - contents, documents with headings and datelines, front matter and endnotes;
  - a switch between the source reading (the transcription) and the corrected reading;
  - persons, places and organisations linked to their authority record (card on click,
    summary on hover), with Wikidata / GeoNames links;
  - notes and references linked both ways;
  - an index of names linking every mention, a map of the places (inline SVG,
    equirectangular projection fitted to the places' bounding box) and a timeline of the
    documents and the dates they mention.

  Parameter `reading`: `corrected` (default) or `source`, the reading shown first.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:math="http://exslt.org/math"
    xmlns:exsl="http://exslt.org/common"
    xmlns:tts="urn:x-trotsky-tei:stream"
    extension-element-prefixes="tts"
    exclude-result-prefixes="tei math exsl">

  <xsl:include href="common.xsl"/>
  <xsl:include href="notes.xsl"/>
  <xsl:include href="pieces.xsl"/>

  <!-- Keys only this stylesheet and a few others need (see common.xsl): the mentions of a record
       (the index, the map) and the references to a note, each as the attribute that points
       (@ref, @target), whose parent is the mention or the reference. -->
  <xsl:key name="tt-mentions" match="/tei:TEI/tei:text//@ref" use="substring-after(., '#')"/>
  <xsl:key name="tt-refs" match="tei:ref/@target" use="substring-after(., '#')"/>

  <!-- Polyglot HTML5: written as XML (the XML writer costs less than libxml2's HTML writer, and
       XML tools and e-book packagers can read the page), read the same by an HTML parser. The
       media type tells the exporter to give every empty element other than HTML's void ones an
       end tag (`<div/>` would open a div for an HTML parser); the style sheet and script are
       written unescaped, the script inside a CDATA section an HTML parser reads as comments. -->
  <xsl:output method="xml" media-type="text/html" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <xsl:param name="reading" select="'corrected'"/>

  <xsl:variable name="records" select="/tei:TEI/tei:standOff"/>
  <xsl:variable name="initial-reading">
    <xsl:choose>
      <xsl:when test="$reading = 'source'">source</xsl:when>
      <xsl:otherwise>corrected</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>

  <!-- ============================================================ page -->

  <xsl:template match="/">
    <xsl:text disable-output-escaping="yes">&lt;!DOCTYPE html&gt;&#10;</xsl:text>
    <html lang="{(/tei:TEI/@xml:lang | /tei:TEI/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language/@ident)[1]}">
      <head>
        <meta charset="UTF-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <meta name="generator" content="trotsky-tei"/>
        <title><xsl:value-of select="$tt-title"/></title>
        <style><xsl:call-template name="css"/></style>
      </head>
      <body class="reading-{$initial-reading}" data-reading="{$initial-reading}">
        <header id="top">
          <div class="bar">
            <span class="edition-title"><xsl:value-of select="$tt-title"/></span>
            <fieldset id="reading-switch" class="switch">
              <legend>Reading</legend>
              <label><input type="radio" name="reading" value="source" id="reading-source">
                <xsl:if test="$initial-reading = 'source'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
              </input> Source</label>
              <label><input type="radio" name="reading" value="corrected" id="reading-corrected">
                <xsl:if test="$initial-reading = 'corrected'"><xsl:attribute name="checked">checked</xsl:attribute></xsl:if>
              </input> Corrected</label>
            </fieldset>
            <nav class="sections">
              <a href="#contents">Contents</a>
              <a href="#notes">Notes</a>
              <a href="#index">Index</a>
              <a href="#map">Map</a>
              <a href="#timeline">Timeline</a>
            </nav>
          </div>
        </header>
        <main>
          <xsl:call-template name="title-block"/>
          <xsl:call-template name="contents"/>
          <xsl:apply-templates select="/tei:TEI/tei:text/tei:front"/>
          <xsl:apply-templates select="/tei:TEI/tei:text/tei:body"/>
          <xsl:call-template name="endnotes"/>
          <xsl:call-template name="index"/>
          <xsl:call-template name="map"/>
          <xsl:call-template name="timeline"/>
        </main>
        <div id="entity-card" class="card" role="dialog" aria-live="polite" hidden="hidden"></div>
        <script><xsl:call-template name="js"/></script>
      </body>
    </html>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <xsl:template name="title-block">
    <xsl:variable name="fd" select="$tt-header/tei:fileDesc"/>
    <section id="edition" class="titleblock">
      <h1><xsl:value-of select="$tt-title"/></h1>
      <xsl:for-each select="$fd/tei:titleStmt/tei:author">
        <p class="author"><xsl:value-of select="normalize-space(.)"/></p>
      </xsl:for-each>
      <xsl:for-each select="$fd/tei:titleStmt/tei:respStmt[tei:persName or tei:name]">
        <p class="resp"><xsl:value-of select="normalize-space(tei:resp)"/>: <xsl:value-of select="normalize-space((tei:persName | tei:name)[1])"/></p>
      </xsl:for-each>
      <xsl:if test="$fd/tei:sourceDesc/tei:bibl">
        <p class="source">Source: <xsl:call-template name="tt-bibl-text"><xsl:with-param name="bibl" select="$fd/tei:sourceDesc/tei:bibl[1]"/></xsl:call-template></p>
      </xsl:if>
    </section>
  </xsl:template>

  <xsl:template name="contents">
    <nav id="contents" class="contents">
      <h2>Contents</h2>
      <ol>
        <xsl:for-each select="$tt-docs">
          <xsl:variable name="id"><xsl:call-template name="doc-id"/></xsl:variable>
          <xsl:variable name="date"><xsl:call-template name="tt-doc-date"/></xsl:variable>
          <li>
            <a href="#{$id}"><xsl:call-template name="doc-title"/></a>
            <xsl:if test="$date != ''"><xsl:text> </xsl:text><span class="toc-date"><xsl:value-of select="$date"/></span></xsl:if>
          </li>
        </xsl:for-each>
        <xsl:if test="$tt-endnotes">
          <li><a href="#notes">Notes</a></li>
        </xsl:if>
        <li><a href="#index">Index of names</a></li>
        <li><a href="#map">Map of places</a></li>
        <li><a href="#timeline">Timeline</a></li>
      </ol>
    </nav>
  </xsl:template>

  <xsl:template name="doc-id">
    <xsl:param name="div" select="."/>
    <xsl:choose>
      <xsl:when test="$div/@xml:id"><xsl:value-of select="$div/@xml:id"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('doc-', generate-id($div))"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Short label of a document: its number, else its id. -->
  <xsl:template name="doc-label">
    <xsl:param name="div" select="."/>
    <xsl:choose>
      <xsl:when test="$div/@n"><xsl:value-of select="$div/@n"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="$div/@xml:id"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Title of a document: its heading in the corrected reading, else its subtype and number. -->
  <xsl:template name="doc-title">
    <xsl:param name="div" select="."/>
    <xsl:variable name="t"><xsl:apply-templates select="$div/tei:head[1]" mode="plain"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="normalize-space($t) != ''"><xsl:value-of select="normalize-space($t)"/></xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="concat(translate(substring($div/@subtype, 1, 1), 'abcdefghijklmnopqrstuvwxyz',
                              'ABCDEFGHIJKLMNOPQRSTUVWXYZ'), substring($div/@subtype, 2), ' ', $div/@n)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ text -->

  <xsl:template match="tei:front">
    <section id="front" class="front">
      <xsl:apply-templates/>
      <xsl:call-template name="notes-here"><xsl:with-param name="notes" select="descendant::tei:note[not(@place='end' or @type='publication')][not(ancestor::tei:div[@type='document'] or ancestor::tei:note[@place='end'])]"/></xsl:call-template>
    </section>
  </xsl:template>

  <!-- The notes standing in a part of the text, listed at its end: those of a document at the end
       of the document (a document within it lists its own), those of the front matter at its end,
       and those of the body outside any document (a text without documents, an introduction)
       at the end of the body. Notes within an endnote are listed with it (see "endnotes"). -->
  <xsl:template name="notes-here">
    <xsl:param name="notes"/>
    <xsl:param name="title">Notes</xsl:param>
    <xsl:if test="$notes">
      <aside class="docnotes">
        <h3><xsl:value-of select="$title"/></h3>
        <ol>
          <xsl:choose>
            <!-- a long list (the notes of a book in one document, or of a text without
                 documents) is a piece of its own, cut every 64 notes (stream.py) -->
            <xsl:when test="$notes[65]">
              <tts:stream>
                <xsl:for-each select="$notes">
                  <xsl:call-template name="note-item"/>
                  <xsl:if test="position() mod 64 = 0"><tts:cut><xsl:fallback/></tts:cut></xsl:if>
                </xsl:for-each>
                <xsl:fallback><xsl:for-each select="$notes"><xsl:call-template name="note-item"/></xsl:for-each></xsl:fallback>
              </tts:stream>
            </xsl:when>
            <xsl:otherwise>
              <xsl:for-each select="$notes">
                <xsl:call-template name="note-item"/>
              </xsl:for-each>
            </xsl:otherwise>
          </xsl:choose>
        </ol>
      </aside>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:titlePage">
    <div class="titlepage"><xsl:apply-templates/></div>
  </xsl:template>
  <xsl:template match="tei:docTitle"><xsl:apply-templates/></xsl:template>
  <xsl:template match="tei:titlePart">
    <p class="titlepart"><xsl:apply-templates/></p>
  </xsl:template>

  <!-- The body is one piece of the output, written out after each document (trotsky_tei/stream.py):
       the reading edition of a large corpus is never held whole in memory. So are the index and
       the timeline, cut after each entry or every few hundred dates. -->
  <xsl:template match="tei:body">
    <tts:stream>
      <xsl:call-template name="tt-body-in-pieces"/>
      <xsl:fallback><xsl:apply-templates/></xsl:fallback>
    </tts:stream>
    <xsl:call-template name="notes-here">
      <xsl:with-param name="notes" select="$tt-notes-numbered[ancestor::tei:body][count(ancestor::tei:body[1] | current()) = 1][not(ancestor::tei:div[@type='document'] or ancestor::tei:note[@place='end'])]"/>
      <xsl:with-param name="title">Notes to the text</xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- Templates are chosen by element name, and conditions are tested inside them: libxslt
       counts a node's siblings to match a pattern with a predicate (tei:div[@type='document']),
       which, for an element among thousands of siblings (a name in a paragraph of a whole text,
       a document in the body), was quadratic. docs/exports.md, "Speed". -->
  <xsl:template match="tei:div">
    <xsl:choose>
      <xsl:when test="@type = 'document'"><xsl:call-template name="document"/></xsl:when>
      <xsl:otherwise>
        <section class="div {@type}">
          <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
          <xsl:call-template name="tt-content-in-pieces"/>
        </section>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="document">
    <xsl:variable name="id"><xsl:call-template name="doc-id"/></xsl:variable>
    <article id="{$id}" class="document {@subtype}">
      <xsl:if test="@n"><xsl:attribute name="data-n"><xsl:value-of select="@n"/></xsl:attribute></xsl:if>
      <xsl:if test="not(tei:head)">
        <h2><xsl:call-template name="doc-title"/></h2>
      </xsl:if>
      <xsl:call-template name="tt-content-in-pieces"/>
      <xsl:call-template name="notes-here">
        <xsl:with-param name="notes" select="descendant::tei:note[not(@place='end' or @type='publication')][count(ancestor::tei:div[@type='document'][1] | current()) = 1][not(ancestor::tei:note[@place='end'])]"/>
        <xsl:with-param name="title">Notes to this document</xsl:with-param>
      </xsl:call-template>
    </article>
    <tts:cut><xsl:fallback/></tts:cut>
  </xsl:template>

  <xsl:template match="tei:head">
    <xsl:choose>
      <xsl:when test="parent::tei:div[@type = 'document']"><h2 class="head"><xsl:apply-templates/></h2></xsl:when>
      <xsl:otherwise><h3 class="head"><xsl:apply-templates/></h3></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:p">
    <p>
      <xsl:if test="contains(../@rend, 'brackets') and not(preceding-sibling::tei:p[1])"><span class="rd-src">[</span></xsl:if>
      <xsl:call-template name="tt-content-in-pieces"/>
      <xsl:if test="contains(../@rend, 'brackets') and not(following-sibling::tei:p[1])"><span class="rd-src">]</span></xsl:if>
    </p>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer">
    <div class="{local-name()}"><xsl:apply-templates/></div>
  </xsl:template>
  <xsl:template match="tei:dateline | tei:signed | tei:salute">
    <p class="{local-name()}"><xsl:apply-templates/></p>
  </xsl:template>

  <!-- Lists: a label column (the source's own numbers, or @n) and the items. -->
  <xsl:template match="tei:list">
    <div class="list {@type}"><xsl:apply-templates select="tei:item | tei:label | tei:head"/></div>
  </xsl:template>
  <xsl:template match="tei:list/tei:label">
    <span class="label"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:item">
    <xsl:choose>
      <xsl:when test="*[1][self::tei:label] and not(tei:label[1]/preceding-sibling::node()[normalize-space()])">
        <span class="label"><xsl:apply-templates select="tei:label[1]/node()"/></span>
      </xsl:when>
      <xsl:when test="not(preceding-sibling::*[1][self::tei:label])">
        <span class="label"><xsl:value-of select="@n"/></span>
      </xsl:when>
    </xsl:choose>
    <div class="item"><xsl:apply-templates/></div>
  </xsl:template>
  <!-- A label opening its item stands in the label column (above). -->
  <xsl:template match="tei:item/tei:label[not(preceding-sibling::node()[normalize-space()])]"/>

  <xsl:template match="tei:label">
    <span class="label"><xsl:apply-templates/></span>
  </xsl:template>


  <xsl:template match="tei:bibl">
    <p class="bibl"><xsl:apply-templates/></p>
  </xsl:template>
  <xsl:template match="tei:title"><cite><xsl:apply-templates/></cite></xsl:template>
  <xsl:template match="tei:quote"><blockquote><xsl:apply-templates/></blockquote></xsl:template>
  <xsl:template match="tei:p//tei:quote | tei:item//tei:quote"><span class="quote"><xsl:apply-templates/></span></xsl:template>
  <xsl:template match="tei:q | tei:hi | tei:num | tei:seg | tei:foreign | tei:unclear">
    <span class="{local-name()}"><xsl:apply-templates/></span>
  </xsl:template>
  <xsl:template match="tei:lb"><br/></xsl:template>

  <!-- A heading the source lacks: shown only in the corrected reading, in brackets. -->
  <xsl:template match="tei:supplied">
    <span class="supplied rd-cor" title="supplied by the editors">[<xsl:apply-templates/>]</span>
  </xsl:template>

  <!-- Names: a link to the index entry. The script shows the authority record from the index
       entry: as a tooltip on hover, as a card on click. These templates run for every name, so
       they evaluate as few expressions as they can: one key lookup, no result-tree fragments, no
       ancestor tests (a name inside another link matches the template below by its pattern).
       The names the converter writes have no xml:id of their own: one template per element
       gives them a constant class and a plain generated id (4 % fewer instructions for the whole
       export); a name with an xml:id takes the general template after them (a condition in the
       template, not a predicate in its pattern: see tei:div). -->
  <xsl:template match="tei:persName">
    <xsl:variable name="rid" select="substring-after(@ref, '#')"/>
    <xsl:choose>
      <xsl:when test="@xml:id"><xsl:call-template name="name-with-id"/></xsl:when>
      <xsl:when test="key('tt-id', $rid)">
        <a class="ent pers" href="#e-{$rid}" data-ref="{$rid}" id="m-{generate-id()}">
          <xsl:apply-templates select="@cert" mode="data-cert"/>
          <xsl:apply-templates/>
        </a>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="unlinked-name"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:placeName">
    <xsl:variable name="rid" select="substring-after(@ref, '#')"/>
    <xsl:choose>
      <xsl:when test="@xml:id"><xsl:call-template name="name-with-id"/></xsl:when>
      <xsl:when test="key('tt-id', $rid)">
        <a class="ent place" href="#e-{$rid}" data-ref="{$rid}" id="m-{generate-id()}">
          <xsl:apply-templates select="@cert" mode="data-cert"/>
          <xsl:apply-templates/>
        </a>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="unlinked-name"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template match="tei:orgName">
    <xsl:variable name="rid" select="substring-after(@ref, '#')"/>
    <xsl:choose>
      <xsl:when test="@xml:id"><xsl:call-template name="name-with-id"/></xsl:when>
      <xsl:when test="key('tt-id', $rid)">
        <a class="ent org" href="#e-{$rid}" data-ref="{$rid}" id="m-{generate-id()}">
          <xsl:apply-templates select="@cert" mode="data-cert"/>
          <xsl:apply-templates/>
        </a>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="unlinked-name"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A name with an xml:id of its own. -->
  <xsl:template name="name-with-id">
    <xsl:variable name="rid" select="substring-after(@ref, '#')"/>
    <xsl:choose>
      <xsl:when test="key('tt-id', $rid)">
        <a class="ent {substring-before(concat(local-name(), 'Name'), 'Name')}" href="#e-{$rid}" data-ref="{$rid}"
           id="{concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id)))}">
          <xsl:apply-templates select="@cert" mode="data-cert"/>
          <xsl:apply-templates/>
        </a>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="unlinked-name"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A name inside another link (a name within a name, a name within a reference): links do not nest. -->
  <xsl:template priority="1" match="
      tei:persName[@ref or @target]//tei:persName | tei:placeName[@ref or @target]//tei:persName
    | tei:orgName[@ref or @target]//tei:persName | tei:ref[@ref or @target]//tei:persName
    | tei:persName[@ref or @target]//tei:placeName | tei:placeName[@ref or @target]//tei:placeName
    | tei:orgName[@ref or @target]//tei:placeName | tei:ref[@ref or @target]//tei:placeName
    | tei:persName[@ref or @target]//tei:orgName | tei:placeName[@ref or @target]//tei:orgName
    | tei:orgName[@ref or @target]//tei:orgName | tei:ref[@ref or @target]//tei:orgName">
    <xsl:variable name="rid" select="substring-after(@ref, '#')"/>
    <xsl:choose>
      <xsl:when test="key('tt-id', $rid)">
        <span class="ent {substring-before(concat(local-name(), 'Name'), 'Name')}" data-ref="{$rid}"
              id="{concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id)))}">
          <xsl:apply-templates select="@cert" mode="data-cert"/>
          <xsl:apply-templates/>
        </span>
      </xsl:when>
      <xsl:otherwise><xsl:call-template name="unlinked-name"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="@cert" mode="data-cert">
    <xsl:attribute name="data-cert"><xsl:value-of select="."/></xsl:attribute>
  </xsl:template>

  <!-- A name whose record is missing. -->
  <xsl:template name="unlinked-name">
    <span class="ent {substring-before(concat(local-name(), 'Name'), 'Name')} unlinked"
          id="{@xml:id}{substring(concat('m-', generate-id()), 1, 99 * not(@xml:id))}"
          title="no authority record{substring(concat(' [certainty: ', @cert, ']'), 1, 99 * boolean(@cert))}">
      <xsl:apply-templates/>
    </span>
  </xsl:template>

  <xsl:template match="tei:date">
    <xsl:variable name="v" select="(@when | @from | @notBefore | @to | @notAfter)[1]"/>
    <time class="date" id="{@xml:id}{substring(concat('m-', generate-id()), 1, 99 * not(@xml:id))}">
      <xsl:if test="$v">
        <xsl:attribute name="datetime"><xsl:value-of select="$v"/></xsl:attribute>
        <xsl:attribute name="title">
          <xsl:value-of select="concat(@when, @from, @notBefore)"/>
          <xsl:if test="@to or @notAfter"> – <xsl:value-of select="concat(@to, @notAfter)"/></xsl:if>
          <xsl:if test="@calendar"> (<xsl:value-of select="@when-custom"/>, <xsl:value-of select="substring-after(@calendar, '#')"/>)</xsl:if>
          <xsl:if test="@cert"> [certainty: <xsl:value-of select="@cert"/>]</xsl:if>
        </xsl:attribute>
      </xsl:if>
      <xsl:apply-templates/>
    </time>
  </xsl:template>

  <!--
    choice: the source child is the sic/orig without @source (else its sibling), the corrected
    child is corr/reg. When both are the same element it is printed once.
  -->
  <xsl:template match="tei:choice">
    <xsl:variable name="pref" select="(tei:sic | tei:orig)[not(@source)]"/>
    <xsl:variable name="src" select="$pref[1] | tei:*[not(@source)][not($pref)][1]"/>
    <xsl:variable name="cor-el" select="(tei:corr | tei:reg)[1]"/>
    <xsl:variable name="cor" select="$cor-el | $src[not($cor-el)]"/>
    <xsl:variable name="resp" select="substring-after(($cor/@resp | ../@resp)[1], '#')"/>
    <span class="choice">
      <xsl:choose>
        <xsl:when test="count($src | $cor) = 1">
          <span class="rd-both corrected">
            <xsl:attribute name="title">
              <xsl:text>corrected from “</xsl:text>
              <xsl:value-of select="normalize-space(tei:*[@source][1])"/>
              <xsl:text>”</xsl:text>
              <xsl:if test="$resp != ''"> (<xsl:value-of select="$resp"/>)</xsl:if>
            </xsl:attribute>
            <xsl:apply-templates select="$cor/node()"/>
          </span>
        </xsl:when>
        <xsl:otherwise>
          <span class="rd-src {local-name($src)}"><xsl:apply-templates select="$src/node()"/></span>
          <span class="rd-cor corrected {local-name($cor)}">
            <xsl:attribute name="title">
              <xsl:text>source: “</xsl:text><xsl:value-of select="normalize-space($src)"/><xsl:text>”</xsl:text>
              <xsl:if test="$resp != ''"> (<xsl:value-of select="$resp"/>
                <xsl:if test="$cor/@cert">, certainty <xsl:value-of select="$cor/@cert"/></xsl:if>)</xsl:if>
            </xsl:attribute>
            <xsl:apply-templates select="$cor/node()"/>
          </span>
        </xsl:otherwise>
      </xsl:choose>
    </span>
  </xsl:template>

  <!-- Cross-reference to a note: a numbered link; the note links back. -->
  <xsl:template match="tei:ref">
    <xsl:choose>
      <xsl:when test="@target"><xsl:call-template name="ref-target"/></xsl:when>
      <xsl:otherwise><xsl:apply-templates/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template name="ref-target">
    <xsl:variable name="id" select="concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id)))"/>
    <xsl:variable name="t" select="substring-after(@target, '#')"/>
    <xsl:choose>
      <xsl:when test="starts-with(@target, '#')">
        <a class="noteref" id="{$id}" href="#{$t}">
          <span class="rd-src"><xsl:apply-templates/></span>
          <sup class="rd-cor"><xsl:value-of select="(@n | key('tt-id', $t)/../@n)[1]"/>
            <xsl:if test="not(@n | key('tt-id', $t)/../@n)"><xsl:value-of select="$t"/></xsl:if></sup>
        </a>
      </xsl:when>
      <xsl:otherwise>
        <a class="ref" id="{$id}" href="{@target}"><xsl:apply-templates/></a>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A note standing in the text: a marker here, the note at the end of the document. -->
  <xsl:template match="tei:note">
    <xsl:choose>
      <xsl:when test="@place = 'end'"/>        <!-- rendered by the "endnotes" template -->
      <!-- a publication line standing as a note in a closer -->
      <xsl:when test="@type = 'publication'"><div class="publication"><xsl:apply-templates/></div></xsl:when>
      <xsl:otherwise><xsl:call-template name="footnote"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template name="footnote">
    <xsl:variable name="id"><xsl:call-template name="note-id"/></xsl:variable>
    <xsl:variable name="num"><xsl:call-template name="note-number"/></xsl:variable>
    <xsl:variable name="inline" select="contains(@rend, 'brackets') or contains(@rend, 'parens')"/>
    <xsl:if test="$inline">
      <span class="inline-note rd-src">
        <xsl:choose><xsl:when test="contains(@rend, 'parens')">(</xsl:when><xsl:otherwise>[</xsl:otherwise></xsl:choose>
        <xsl:apply-templates mode="inline-copy"/>
        <xsl:choose><xsl:when test="contains(@rend, 'parens')">)</xsl:when><xsl:otherwise>]</xsl:otherwise></xsl:choose>
      </span>
    </xsl:if>
    <sup class="notemark">
      <xsl:if test="$inline"><xsl:attribute name="class">notemark rd-cor</xsl:attribute></xsl:if>
      <a id="nr-{$id}" href="#{$id}" title="{normalize-space(.)}">
        <xsl:value-of select="$num"/>
      </a>
    </sup>
  </xsl:template>

  <!-- The copy of a note the source has in brackets or parentheses, where it stands in the source
       reading: its source text with its phrase markup, without the ids and links of names, dates
       and corrections, which its item in the list of notes carries (an id stands once in a page;
       the index links to that item's names). -->
  <xsl:template match="tei:persName | tei:placeName | tei:orgName" mode="inline-copy">
    <span class="ent {substring-before(concat(local-name(), 'Name'), 'Name')}"><xsl:apply-templates mode="inline-copy"/></span>
  </xsl:template>
  <xsl:template match="tei:q | tei:hi | tei:num | tei:seg | tei:foreign | tei:unclear | tei:date | tei:quote" mode="inline-copy">
    <span class="{local-name()}"><xsl:apply-templates mode="inline-copy"/></span>
  </xsl:template>
  <xsl:template match="tei:title" mode="inline-copy"><cite><xsl:apply-templates mode="inline-copy"/></cite></xsl:template>
  <xsl:template match="tei:choice" mode="inline-copy">
    <xsl:variable name="pref" select="(tei:sic | tei:orig)[not(@source)]"/>
    <xsl:apply-templates select="($pref[1] | tei:*[not(@source)][not($pref)][1])/node()" mode="inline-copy"/>
  </xsl:template>
  <xsl:template match="tei:lb" mode="inline-copy"><br/></xsl:template>
  <xsl:template match="tei:note | tei:supplied" mode="inline-copy"/>

  <xsl:template name="note-id">
    <xsl:choose>
      <xsl:when test="@xml:id"><xsl:value-of select="@xml:id"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('note-', generate-id())"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="note-number">
    <xsl:choose>
      <xsl:when test="@n"><xsl:value-of select="@n"/></xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="tt-note-number"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One note in a list: its text, a link back to the marker and to every reference. -->
  <xsl:template name="note-item">
    <xsl:variable name="id"><xsl:call-template name="note-id"/></xsl:variable>
    <li id="{$id}" class="note {@type}">
      <xsl:if test="not(tei:label)">
        <span class="note-n"><xsl:call-template name="note-number"/></span>
        <xsl:text> </xsl:text>
      </xsl:if>
      <div class="note-body"><xsl:apply-templates/></div>
      <xsl:if test="@resp"><span class="note-resp"> — <xsl:value-of select="substring-after(@resp, '#')"/></span></xsl:if>
      <xsl:if test="@place='end'">
        <xsl:variable name="inner" select="descendant::tei:note[not(@place='end' or @type='publication')]"/>
        <xsl:if test="$inner">
          <ol class="subnotes">
            <xsl:for-each select="$inner"><xsl:call-template name="note-item"/></xsl:for-each>
          </ol>
        </xsl:if>
      </xsl:if>
      <span class="backlinks">
        <xsl:if test="not(@place='end')">
          <a class="backlink" href="#nr-{$id}" title="back to the text">↩</a>
        </xsl:if>
        <xsl:for-each select="key('tt-refs', $id)">
          <xsl:variable name="rid" select="concat(../@xml:id, substring(concat('m-', generate-id(..)), 1, 99 * not(../@xml:id)))"/>
          <xsl:text> </xsl:text>
          <a class="backlink" href="#{$rid}" title="back to reference {position()}">↩<xsl:if test="last() &gt; 1"><sub><xsl:value-of select="position()"/></sub></xsl:if></a>
        </xsl:for-each>
      </span>
    </li>
  </xsl:template>

  <xsl:template match="tei:back">
    <!-- rendered by the "endnotes" template -->
  </xsl:template>

  <xsl:template name="endnotes">
    <xsl:variable name="notes" select="$tt-endnotes"/>
    <section id="notes" class="endnotes">
      <h2>Notes</h2>
      <xsl:if test="$notes">
        <ol>
          <xsl:for-each select="$notes">
            <xsl:call-template name="note-item"/>
          </xsl:for-each>
        </ol>
      </xsl:if>
      <xsl:apply-templates select="/tei:TEI/tei:text/tei:back/*[not(self::tei:div[@type='notes'] or self::tei:note)]"/>
    </section>
  </xsl:template>

  <xsl:template match="tei:note/tei:p"><p><xsl:apply-templates/></p></xsl:template>

  <!-- Plain corrected text (contents, titles): no markup, no notes, no references. -->
  <xsl:template match="tei:note | tei:ref" mode="plain"/>
  <xsl:template match="tei:choice" mode="plain">
    <xsl:apply-templates select="((tei:corr | tei:reg) | tei:*[not(@source)])[1]/node()" mode="plain"/>
  </xsl:template>
  <xsl:template match="tei:lb" mode="plain"><xsl:text> </xsl:text></xsl:template>

  <!-- ============================================================ index -->

  <xsl:template name="index">
    <section id="index" class="index">
      <h2>Index of names</h2>
      <p class="note-index">Each mention is linked, by the number of the document it stands in
        (n: the notes, f: the front matter, t: elsewhere in the text).</p>
      <xsl:call-template name="index-part">
        <xsl:with-param name="title">Persons</xsl:with-param>
        <xsl:with-param name="id">index-persons</xsl:with-param>
        <xsl:with-param name="recs" select="$records/descendant::tei:person[@xml:id]"/>
      </xsl:call-template>
      <xsl:call-template name="index-part">
        <xsl:with-param name="title">Places</xsl:with-param>
        <xsl:with-param name="id">index-places</xsl:with-param>
        <xsl:with-param name="recs" select="$records/descendant::tei:place[@xml:id]"/>
      </xsl:call-template>
      <xsl:call-template name="index-part">
        <xsl:with-param name="title">Organisations</xsl:with-param>
        <xsl:with-param name="id">index-orgs</xsl:with-param>
        <xsl:with-param name="recs" select="$records/descendant::tei:org[@xml:id]"/>
      </xsl:call-template>
    </section>
  </xsl:template>

  <!-- One part of the index. Persons need a computed heading (inverted names), so they are
       sorted through a node-set of headings; places and organisations are sorted on their
       preferred name directly. -->
  <xsl:template name="index-part">
    <xsl:param name="title"/>
    <xsl:param name="id"/>
    <xsl:param name="recs"/>
    <section id="{$id}" class="index-part">
      <h3><xsl:value-of select="$title"/></h3>
      <ul>
        <tts:stream>
          <xsl:call-template name="index-entries"><xsl:with-param name="recs" select="$recs"/></xsl:call-template>
          <xsl:fallback><xsl:call-template name="index-entries"><xsl:with-param name="recs" select="$recs"/></xsl:call-template></xsl:fallback>
        </tts:stream>
      </ul>
    </section>
  </xsl:template>

  <xsl:template name="index-entries">
    <xsl:param name="recs"/>
        <xsl:choose>
          <xsl:when test="$recs[self::tei:person]">
            <xsl:variable name="entries"><xsl:call-template name="tt-index-entries"><xsl:with-param name="recs" select="$recs"/></xsl:call-template></xsl:variable>
            <xsl:for-each select="exsl:node-set($entries)/e">
              <xsl:sort select="@key"/>
              <xsl:variable name="rid" select="string(@id)"/>
              <xsl:variable name="label" select="string(@label)"/>
              <xsl:for-each select="$tt-root">
                <xsl:for-each select="key('tt-id', $rid)/..">
                  <xsl:call-template name="index-entry"><xsl:with-param name="label" select="$label"/></xsl:call-template>
                </xsl:for-each>
              </xsl:for-each>
            </xsl:for-each>
          </xsl:when>
          <xsl:otherwise>
            <xsl:for-each select="$recs">
              <xsl:sort select="translate(normalize-space((tei:persName[@type='preferred'] | tei:placeName[@type='preferred']
                                | tei:orgName[@type='preferred'] | (tei:persName | tei:placeName | tei:orgName | tei:name)[1][not(
                                ../tei:persName[@type='preferred'] | ../tei:placeName[@type='preferred'] | ../tei:orgName[@type='preferred'])])[1]),
                                $tt-fold-from, $tt-fold-to)"/>
              <xsl:call-template name="index-entry">
                <xsl:with-param name="label" select="normalize-space((tei:persName[@type='preferred'] | tei:placeName[@type='preferred']
                                | tei:orgName[@type='preferred'] | (tei:persName | tei:placeName | tei:orgName | tei:name)[1][not(
                                ../tei:persName[@type='preferred'] | ../tei:placeName[@type='preferred'] | ../tei:orgName[@type='preferred'])])[1])"/>
              </xsl:call-template>
            </xsl:for-each>
          </xsl:otherwise>
        </xsl:choose>
  </xsl:template>

  <!-- One record: heading, dates, authority links, and a link to each mention; the index is cut
       after it (see the body). Select expressions only (no result-tree fragments): it runs for
       every record and every mention. -->
  <xsl:template name="index-entry">
    <xsl:param name="label"/>
    <xsl:variable name="rid" select="string(@xml:id)"/>
    <xsl:variable name="mentions" select="key('tt-mentions', $rid)"/>
    <li id="e-{$rid}" class="entry">
      <div class="entity">
        <strong class="pref"><xsl:value-of select="$label"/></strong>
        <xsl:variable name="born" select="substring((tei:birth/@when | tei:floruit/@from)[1], 1, 4)"/>
        <xsl:variable name="died" select="substring((tei:death/@when | tei:floruit/@to)[1], 1, 4)"/>
        <xsl:if test="$born != '' or $died != ''"><xsl:text> </xsl:text><span class="life">(<xsl:value-of select="concat($born, '–', $died)"/>)</span></xsl:if>
        <xsl:variable name="wd" select="normalize-space(tei:idno[@type='wikidata'][1])"/>
        <xsl:variable name="gn" select="normalize-space(tei:idno[@type='geonames'][1])"/>
        <xsl:if test="$wd != ''"><xsl:text> </xsl:text><a class="authority wikidata" href="{substring('https://www.wikidata.org/wiki/', 1, 99 * not(starts-with($wd, 'http')))}{$wd}" rel="external noopener">Wikidata</a></xsl:if>
        <xsl:if test="$gn != ''"><xsl:text> </xsl:text><a class="authority geonames" href="{substring('https://www.geonames.org/', 1, 99 * not(starts-with($gn, 'http')))}{$gn}" rel="external noopener">GeoNames</a></xsl:if>
        <xsl:if test="tei:location/tei:geo"><xsl:text> </xsl:text><span class="geo"><xsl:value-of select="normalize-space(tei:location/tei:geo)"/></span></xsl:if>
        <xsl:for-each select="tei:note">
          <span class="recnote"><xsl:text> </xsl:text><xsl:value-of select="normalize-space(.)"/></span>
        </xsl:for-each>
      </div>
      <div class="mentions">
        <xsl:if test="not($mentions)"><span class="none">no mention</span></xsl:if>
        <xsl:apply-templates select="$mentions" mode="index-mention"/>
      </div>
    </li>
    <tts:cut><xsl:fallback/></tts:cut>
  </xsl:template>

  <!-- A link to one mention, labelled with the number of the document it stands in, else its id
       ("n" for the notes, "f" for the front matter, "t" elsewhere); the script groups the links by
       document. The key of the mentions returns their @ref: the mention is its parent. -->
  <xsl:template match="@ref" mode="index-mention">
    <xsl:text> </xsl:text>
    <xsl:choose>
      <xsl:when test="../@xml:id"><a class="mention" href="#{../@xml:id}" title="{normalize-space(..)}"><xsl:call-template name="mention-label"/></a></xsl:when>
      <xsl:otherwise><a class="mention" href="#m-{generate-id(..)}" title="{normalize-space(..)}"><xsl:call-template name="mention-label"/></a></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <xsl:template name="mention-label">
    <xsl:variable name="doc" select="ancestor::tei:div[@type='document'][1]"/>
    <xsl:choose>
      <xsl:when test="$doc/@n"><xsl:value-of select="$doc/@n"/></xsl:when>
      <xsl:when test="$doc"><xsl:value-of select="$doc/@xml:id"/></xsl:when>
      <xsl:when test="ancestor::tei:back">n</xsl:when>
      <xsl:when test="ancestor::tei:front">f</xsl:when>
      <xsl:otherwise>t</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ map -->

  <xsl:template name="map">
    <!-- Places with a usable "lat long" (both numbers, within range). -->
    <xsl:variable name="places" select="$records/descendant::tei:place[@xml:id][key('tt-mentions', @xml:id)]
        [number(substring-before(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' ')) &gt;= -90]
        [number(substring-before(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' ')) &lt;= 90]
        [number(substring-after(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' ')) &gt;= -180]
        [number(substring-after(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' ')) &lt;= 180]"/>
    <section id="map" class="map">
      <h2>Map of places</h2>
      <xsl:choose>
        <xsl:when test="not($places)"><p class="none">No mentioned place has coordinates.</p></xsl:when>
        <xsl:otherwise><xsl:call-template name="map-svg"><xsl:with-param name="places" select="$places"/></xsl:call-template></xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <xsl:template name="map-svg">
    <xsl:param name="places"/>
    <!-- The extent: each coordinate sorted once, its first and last values ("min max"). -->
    <xsl:variable name="lats"><xsl:for-each select="$places"><xsl:sort select="substring-before(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' ')" data-type="number"/><xsl:if test="position() = 1"><xsl:value-of select="substring-before(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' ')"/></xsl:if><xsl:if test="position() = last()"><xsl:value-of select="concat(' ', substring-before(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' '))"/></xsl:if></xsl:for-each></xsl:variable>
    <xsl:variable name="lons"><xsl:for-each select="$places"><xsl:sort select="substring-after(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' ')" data-type="number"/><xsl:if test="position() = 1"><xsl:value-of select="substring-after(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' ')"/></xsl:if><xsl:if test="position() = last()"><xsl:value-of select="concat(' ', substring-after(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' '))"/></xsl:if></xsl:for-each></xsl:variable>
    <xsl:variable name="minlat" select="substring-before($lats, ' ')"/>
    <xsl:variable name="maxlat" select="substring-after($lats, ' ')"/>
    <xsl:variable name="minlon" select="substring-before($lons, ' ')"/>
    <xsl:variable name="maxlon" select="substring-after($lons, ' ')"/>
    <xsl:variable name="k" select="math:cos((number($minlat) + number($maxlat)) div 2 * 3.14159265358979 div 180)"/>
    <xsl:variable name="w0" select="(number($maxlon) - number($minlon)) * $k"/>
    <xsl:variable name="h0" select="number($maxlat) - number($minlat)"/>
    <xsl:variable name="ext0"><xsl:choose><xsl:when test="$w0 &gt; $h0"><xsl:value-of select="$w0"/></xsl:when><xsl:otherwise><xsl:value-of select="$h0"/></xsl:otherwise></xsl:choose></xsl:variable>
    <xsl:variable name="ext"><xsl:choose><xsl:when test="$ext0 &lt; 2">2</xsl:when><xsl:otherwise><xsl:value-of select="$ext0"/></xsl:otherwise></xsl:choose></xsl:variable>
    <!-- Margins: a tenth of the extent, more on the right for the labels; at least a fifth of the width in height. -->
    <xsl:variable name="pad" select="$ext * 0.08"/>
    <xsl:variable name="w"><xsl:choose><xsl:when test="$w0 &lt; $ext * 0.5"><xsl:value-of select="$ext * 0.5"/></xsl:when><xsl:otherwise><xsl:value-of select="$w0"/></xsl:otherwise></xsl:choose></xsl:variable>
    <xsl:variable name="h"><xsl:choose><xsl:when test="$h0 &lt; $ext * 0.3"><xsl:value-of select="$ext * 0.3"/></xsl:when><xsl:otherwise><xsl:value-of select="$h0"/></xsl:otherwise></xsl:choose></xsl:variable>
    <xsl:variable name="x0" select="(number($minlon) * $k) - ($w - $w0) div 2 - $pad - $ext * 0.15"/>
    <xsl:variable name="y0" select="-number($maxlat) - ($h - $h0) div 2 - $pad"/>
    <xsl:variable name="vw" select="$w + 2 * $pad + $ext * 0.3"/>
    <xsl:variable name="vh" select="$h + 2 * $pad"/>
    <xsl:variable name="r" select="$ext * 0.006"/>
    <xsl:variable name="fs" select="$ext * 0.017"/>
    <figure>
      <svg xmlns="http://www.w3.org/2000/svg" id="map-svg" role="img" viewBox="{format-number($x0, '0.####')} {format-number($y0, '0.####')} {format-number($vw, '0.####')} {format-number($vh, '0.####')}"
           preserveAspectRatio="xMidYMid meet">
        <title>Places mentioned (equirectangular projection)</title>
        <rect class="frame" x="{format-number($x0, '0.####')}" y="{format-number($y0, '0.####')}" width="{format-number($vw, '0.####')}" height="{format-number($vh, '0.####')}"/>
        <!-- graticule every 5 or 10 degrees -->
        <xsl:variable name="step"><xsl:choose><xsl:when test="$ext &gt; 60">10</xsl:when><xsl:when test="$ext &gt; 15">5</xsl:when><xsl:otherwise>1</xsl:otherwise></xsl:choose></xsl:variable>
        <xsl:call-template name="graticule">
          <xsl:with-param name="v" select="ceiling(($x0 div $k) div $step) * $step"/>
          <xsl:with-param name="to" select="($x0 + $vw) div $k"/>
          <xsl:with-param name="step" select="$step"/>
          <xsl:with-param name="k" select="$k"/>
          <xsl:with-param name="y1" select="$y0"/>
          <xsl:with-param name="y2" select="$y0 + $vh"/>
          <xsl:with-param name="fs" select="$fs * 0.7"/>
          <xsl:with-param name="axis">lon</xsl:with-param>
        </xsl:call-template>
        <xsl:call-template name="graticule">
          <xsl:with-param name="v" select="ceiling((-($y0 + $vh)) div $step) * $step"/>
          <xsl:with-param name="to" select="-$y0"/>
          <xsl:with-param name="step" select="$step"/>
          <xsl:with-param name="k" select="$k"/>
          <xsl:with-param name="y1" select="$x0"/>
          <xsl:with-param name="y2" select="$x0 + $vw"/>
          <xsl:with-param name="fs" select="$fs * 0.7"/>
          <xsl:with-param name="axis">lat</xsl:with-param>
        </xsl:call-template>
        <!-- Labels alternate right and left of their points, in order of latitude, so that
             neighbouring places do not write over each other. -->
        <xsl:for-each select="$places">
          <xsl:sort select="substring-before(normalize-space(translate(tei:location/tei:geo, ',', ' ')), ' ')" data-type="number" order="descending"/>
          <xsl:variable name="g" select="normalize-space(translate(tei:location/tei:geo, ',', ' '))"/>
          <xsl:variable name="x" select="number(substring-after($g, ' ')) * $k"/>
          <xsl:variable name="y" select="-number(substring-before($g, ' '))"/>
          <xsl:variable name="name"><xsl:call-template name="tt-preferred-name"/></xsl:variable>
          <xsl:variable name="side" select="1 - 2 * (position() mod 2 = 0)"/>
          <a href="#e-{@xml:id}" class="place-point" data-ref="{@xml:id}">
            <title><xsl:value-of select="$name"/> (<xsl:value-of select="count(key('tt-mentions', @xml:id))"/> mentions)</title>
            <circle cx="{format-number($x, '0.####')}" cy="{format-number($y, '0.####')}" r="{format-number($r, '0.####')}"/>
            <text x="{format-number($x + $side * $r * 1.6, '0.####')}" y="{format-number($y + $fs * 0.35, '0.####')}" font-size="{format-number($fs, '0.####')}">
              <xsl:if test="$side &lt; 0"><xsl:attribute name="text-anchor">end</xsl:attribute></xsl:if>
              <xsl:value-of select="$name"/>
            </text>
          </a>
        </xsl:for-each>
      </svg>
      <figcaption>Places mentioned in the edition, from the coordinates of their authority records
        (equirectangular projection; no map tiles). Click a point for its index entry; click elsewhere on the
        map to zoom in there, <button type="button" id="map-reset">show the whole map</button>.</figcaption>
    </figure>
  </xsl:template>

  <xsl:template name="graticule" xmlns="http://www.w3.org/2000/svg">
    <xsl:param name="v"/>
    <xsl:param name="to"/>
    <xsl:param name="step"/>
    <xsl:param name="k"/>
    <xsl:param name="y1"/>
    <xsl:param name="y2"/>
    <xsl:param name="fs"/>
    <xsl:param name="axis"/>
    <xsl:if test="$v &lt;= $to and $step &gt; 0">
      <xsl:choose>
        <xsl:when test="$axis = 'lon'">
          <xsl:variable name="x" select="format-number($v * $k, '0.####')"/>
          <line class="grid" x1="{$x}" x2="{$x}" y1="{format-number($y1, '0.####')}" y2="{format-number($y2, '0.####')}"/>
          <text class="gridlabel" x="{$x}" y="{format-number($y2 - $fs * 0.4, '0.####')}" font-size="{format-number($fs, '0.####')}"><xsl:value-of select="$v"/>°E</text>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="y" select="format-number(-$v, '0.####')"/>
          <line class="grid" y1="{$y}" y2="{$y}" x1="{format-number($y1, '0.####')}" x2="{format-number($y2, '0.####')}"/>
          <text class="gridlabel" x="{format-number($y1 + $fs * 0.3, '0.####')}" y="{format-number(-$v - $fs * 0.3, '0.####')}" font-size="{format-number($fs, '0.####')}"><xsl:value-of select="$v"/>°N</text>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:call-template name="graticule">
        <xsl:with-param name="v" select="$v + $step"/>
        <xsl:with-param name="to" select="$to"/>
        <xsl:with-param name="step" select="$step"/>
        <xsl:with-param name="k" select="$k"/>
        <xsl:with-param name="y1" select="$y1"/>
        <xsl:with-param name="y2" select="$y2"/>
        <xsl:with-param name="fs" select="$fs"/>
        <xsl:with-param name="axis" select="$axis"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ timeline -->

  <!-- A date as a fractional year (1918-06-04 -> 1918.42...), for plotting. -->
  <xsl:template name="year-frac">
    <xsl:param name="iso"/>
    <xsl:variable name="y" select="number(substring($iso, 1, 4))"/>
    <xsl:variable name="m"><xsl:choose><xsl:when test="string-length($iso) &gt;= 7"><xsl:value-of select="number(substring($iso, 6, 2)) - 1"/></xsl:when><xsl:otherwise>0</xsl:otherwise></xsl:choose></xsl:variable>
    <xsl:variable name="d"><xsl:choose><xsl:when test="string-length($iso) &gt;= 10"><xsl:value-of select="number(substring($iso, 9, 2)) - 1"/></xsl:when><xsl:otherwise>0</xsl:otherwise></xsl:choose></xsl:variable>
    <xsl:value-of select="$y + $m div 12 + $d div 366"/>
  </xsl:template>

  <xsl:template name="timeline">
    <!-- Dates with a plottable ISO value (four-digit year first). -->
    <!-- (The first four characters of the value with a character appended are digits only when
         the value has at least four characters and they are digits.) -->
    <xsl:variable name="dates" select="/tei:TEI/tei:text/descendant::tei:date[translate(substring(concat((@when | @from | @notBefore)[1], '_'), 1, 4), '0123456789', '') = '']"/>
    <section id="timeline" class="timeline">
      <h2>Timeline</h2>
      <xsl:choose>
        <xsl:when test="not($dates)"><p class="none">No dated element.</p></xsl:when>
        <xsl:otherwise>
          <!-- The axis spans the years of the documents (of all dates when no document is dated);
               dates mentioned outside it are counted at its ends and listed in the table. -->
          <xsl:variable name="docdates-rtf"><xsl:call-template name="tt-doc-dates"/></xsl:variable>
          <xsl:variable name="docdates" select="exsl:node-set($docdates-rtf)/d"/>
          <!-- (Tested once: a predicate naming a node-set variable copies the set for every node it
               filters, and $dates[not($docdates)] was quadratic in the dates of a long file.) -->
          <xsl:variable name="no-docdates" select="not($docdates)"/>
          <xsl:variable name="range" select="$docdates[translate(substring(@when, 1, 4), '0123456789', '') = ''] | $dates[$no-docdates]"/>
          <xsl:variable name="first"><xsl:for-each select="$range"><xsl:sort select="(@when | @from | @notBefore)[1]"/><xsl:if test="position() = 1"><xsl:call-template name="year-frac"><xsl:with-param name="iso" select="(@when | @from | @notBefore)[1]"/></xsl:call-template></xsl:if></xsl:for-each></xsl:variable>
          <xsl:variable name="last"><xsl:for-each select="$range"><xsl:sort select="(@when | @from | @notBefore)[1]" order="descending"/><xsl:if test="position() = 1"><xsl:call-template name="year-frac"><xsl:with-param name="iso" select="(@when | @from | @notBefore)[1]"/></xsl:call-template></xsl:if></xsl:for-each></xsl:variable>
          <xsl:variable name="y0" select="floor($first)"/>
          <xsl:variable name="y1" select="floor($last) + 1"/>
          <xsl:variable name="span" select="$y1 - $y0"/>
          <figure>
            <svg xmlns="http://www.w3.org/2000/svg" id="timeline-svg" viewBox="0 0 1000 190" role="img">
              <title>Documents (above the axis) and the dates they mention (below)</title>
              <line class="axis" x1="30" x2="970" y1="100" y2="100"/>
              <xsl:variable name="tstep"><xsl:choose><xsl:when test="$span &gt; 200">50</xsl:when><xsl:when test="$span &gt; 80">20</xsl:when><xsl:when test="$span &gt; 40">10</xsl:when><xsl:when test="$span &gt; 15">5</xsl:when><xsl:otherwise>1</xsl:otherwise></xsl:choose></xsl:variable>
              <xsl:call-template name="year-ticks">
                <xsl:with-param name="y" select="ceiling($y0 div $tstep) * $tstep"/>
                <xsl:with-param name="y0" select="$y0"/>
                <xsl:with-param name="y1" select="$y1"/>
                <xsl:with-param name="step" select="$tstep"/>
              </xsl:call-template>
              <xsl:if test="$span = 1">
                <xsl:call-template name="month-ticks">
                  <xsl:with-param name="m" select="1"/>
                  <xsl:with-param name="y0" select="$y0"/>
                </xsl:call-template>
              </xsl:if>
              <xsl:for-each select="$tt-docs">
                <xsl:variable name="iso"><xsl:call-template name="tt-doc-date"/></xsl:variable>
                <xsl:if test="string-length($iso) &gt;= 4">
                  <xsl:variable name="f"><xsl:call-template name="year-frac"><xsl:with-param name="iso" select="$iso"/></xsl:call-template></xsl:variable>
                  <xsl:variable name="x" select="format-number(30 + ($f - $y0) div $span * 940, '0.##')"/>
                  <xsl:variable name="id"><xsl:call-template name="doc-id"/></xsl:variable>
                  <a href="#{$id}" class="tl-doc">
                    <title><xsl:value-of select="$iso"/>: <xsl:call-template name="doc-title"/></title>
                    <line x1="{$x}" x2="{$x}" y1="100" y2="{62 - (position() mod 3) * 14}"/>
                    <circle cx="{$x}" cy="{62 - (position() mod 3) * 14}" r="7"/>
                    <text x="{$x}" y="{66 - (position() mod 3) * 14}" text-anchor="middle"><xsl:call-template name="doc-label"/></text>
                  </a>
                </xsl:if>
              </xsl:for-each>
              <xsl:variable name="earlier" select="count($dates[number(substring((@when | @from | @notBefore)[1], 1, 4)) &lt; $y0])"/>
              <xsl:variable name="later" select="count($dates[number(substring((@when | @from | @notBefore)[1], 1, 4)) &gt;= $y1])"/>
              <xsl:if test="$earlier &gt; 0"><text class="outside" x="30" y="186">← <xsl:value-of select="$earlier"/> earlier</text></xsl:if>
              <xsl:if test="$later &gt; 0"><text class="outside" x="970" y="186" text-anchor="end"><xsl:value-of select="$later"/> later →</text></xsl:if>
              <tts:stream>
                <xsl:call-template name="timeline-ticks"><xsl:with-param name="dates" select="$dates"/><xsl:with-param name="y0" select="$y0"/><xsl:with-param name="y1" select="$y1"/><xsl:with-param name="span" select="$span"/></xsl:call-template>
                <xsl:fallback><xsl:call-template name="timeline-ticks"><xsl:with-param name="dates" select="$dates"/><xsl:with-param name="y0" select="$y0"/><xsl:with-param name="y1" select="$y1"/><xsl:with-param name="span" select="$span"/></xsl:call-template></xsl:fallback>
              </tts:stream>
            </svg>
            <figcaption>Documents (numbered circles, by their own date) and the dates mentioned in the text (ticks) over the
              years of the documents; every date is listed in the chronology below.</figcaption>
          </figure>
          <table class="chronology">
            <caption>Chronology</caption>
            <thead><tr><th>Date</th><th>Document</th><th>Dates mentioned</th></tr></thead>
            <tbody>
              <tts:stream>
                <xsl:call-template name="chronology-rows"/>
                <xsl:fallback><xsl:call-template name="chronology-rows"/></xsl:fallback>
              </tts:stream>
            </tbody>
          </table>
        </xsl:otherwise>
      </xsl:choose>
    </section>
  </xsl:template>

  <!-- The dates of the text on the timeline (cut every 256 dates, see the body). -->
  <xsl:template name="timeline-ticks" xmlns="http://www.w3.org/2000/svg">
    <xsl:param name="dates"/>
    <xsl:param name="y0"/>
    <xsl:param name="y1"/>
    <xsl:param name="span"/>
    <xsl:for-each select="$dates">
      <xsl:variable name="v" select="string((@when | @from | @notBefore)[1])"/>
      <xsl:if test="number(substring($v, 1, 4)) &gt;= $y0 and number(substring($v, 1, 4)) &lt; $y1">
        <xsl:variable name="f" select="number(substring($v, 1, 4)) + (number(concat('0', substring($v, 6, 2))) - (substring($v, 6, 2) != '')) div 12
                                       + (number(concat('0', substring($v, 9, 2))) - (substring($v, 9, 2) != '')) div 366"/>
        <xsl:variable name="x" select="format-number(30 + ($f - $y0) div $span * 940, '0.##')"/>
        <xsl:variable name="id" select="concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id)))"/>
        <a href="#{$id}" class="tl-date">
          <title><xsl:value-of select="$v"/>: <xsl:value-of select="normalize-space(.)"/></title>
          <line x1="{$x}" x2="{$x}" y1="104" y2="122"/>
        </a>
      </xsl:if>
      <xsl:if test="position() mod 256 = 0"><tts:cut><xsl:fallback/></tts:cut></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <!-- The chronology: for each document, its date, its title, the dates it mentions (cut every 64
       rows, see the body). -->
  <xsl:template name="chronology-rows">
    <xsl:for-each select="$tt-docs">
      <xsl:variable name="id"><xsl:call-template name="doc-id"/></xsl:variable>
      <tr>
        <td><xsl:call-template name="tt-doc-date"/></td>
        <td><a href="#{$id}"><xsl:call-template name="doc-title"/></a></td>
        <td>
          <xsl:for-each select="descendant::tei:date[@when or @from or @notBefore]">
            <xsl:variable name="mid" select="concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id)))"/>
            <a href="#{$mid}" title="{normalize-space(.)}"><xsl:value-of select="(@when | @from | @notBefore)[1]"/></a>
            <xsl:if test="position() != last()">, </xsl:if>
          </xsl:for-each>
        </td>
      </tr>
      <xsl:if test="position() mod 64 = 0"><tts:cut><xsl:fallback/></tts:cut></xsl:if>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="year-ticks" xmlns="http://www.w3.org/2000/svg">
    <xsl:param name="y"/>
    <xsl:param name="y0"/>
    <xsl:param name="y1"/>
    <xsl:param name="step"/>
    <xsl:if test="$y &lt;= $y1">
      <xsl:variable name="x" select="format-number(30 + ($y - $y0) div ($y1 - $y0) * 940, '0.##')"/>
      <line class="tick" x1="{$x}" x2="{$x}" y1="96" y2="140"/>
      <text class="ticklabel" x="{$x}" y="156" text-anchor="middle"><xsl:value-of select="$y"/></text>
      <xsl:call-template name="year-ticks">
        <xsl:with-param name="y" select="$y + $step"/>
        <xsl:with-param name="y0" select="$y0"/>
        <xsl:with-param name="y1" select="$y1"/>
        <xsl:with-param name="step" select="$step"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <xsl:template name="month-ticks" xmlns="http://www.w3.org/2000/svg">
    <xsl:param name="m"/>
    <xsl:param name="y0"/>
    <xsl:if test="$m &lt;= 11">
      <xsl:variable name="x" select="format-number(30 + ($m div 12) * 940, '0.##')"/>
      <line class="tick minor" x1="{$x}" x2="{$x}" y1="98" y2="130"/>
      <text class="ticklabel minor" x="{format-number(30 + (($m + 0.5) div 12) * 940, '0.##')}" y="176" text-anchor="middle">
        <xsl:value-of select="substring('JanFebMarAprMayJunJulAugSepOctNovDec', $m * 3 + 1, 3)"/>
      </text>
      <xsl:call-template name="month-ticks">
        <xsl:with-param name="m" select="$m + 1"/>
        <xsl:with-param name="y0" select="$y0"/>
      </xsl:call-template>
    </xsl:if>
    <xsl:if test="$m = 1">
      <text class="ticklabel minor" x="{format-number(30 + (0.5 div 12) * 940, '0.##')}" y="176" text-anchor="middle">Jan</text>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ style and script -->

  <xsl:template name="css">
    <xsl:text disable-output-escaping="yes"><![CDATA[
:root { --ink:#1d1d1b; --muted:#666; --rule:#d8d4cc; --paper:#fffdf8; --person:#1f5fa8; --place:#2b7a3d; --org:#7a3b8f; --corr:#a05a00; }
* { box-sizing: border-box; }
body { margin:0; background:var(--paper); color:var(--ink); font:17px/1.55 Georgia, "DejaVu Serif", "Times New Roman", serif; }
header#top { position:sticky; top:0; z-index:10; background:#f3efe6; border-bottom:1px solid var(--rule); font-family: system-ui, "DejaVu Sans", sans-serif; font-size:14px; }
.bar { max-width:60rem; margin:0 auto; padding:.4rem 1rem; display:flex; flex-wrap:wrap; gap:1rem; align-items:center; }
.edition-title { font-weight:600; flex:1 1 auto; }
.switch { border:1px solid var(--rule); border-radius:6px; padding:.1rem .6rem; margin:0; display:flex; gap:.8rem; }
.switch legend { font-size:11px; color:var(--muted); padding:0 .2rem; }
.sections a { margin-left:.7rem; color:var(--ink); }
main { max-width:44rem; margin:0 auto; padding:1rem 1rem 4rem; }
h1 { font-size:1.9rem; margin:1.2rem 0 .3rem; } h2 { font-size:1.35rem; margin-top:2.4rem; } h3 { font-size:1.1rem; }
.titleblock .author { font-size:1.2rem; margin:.2rem 0; } .titleblock .resp, .titleblock .source { color:var(--muted); margin:.2rem 0; }
.contents ol { padding-left:1.6rem; } .contents li { margin:.25rem 0; } .toc-date { color:var(--muted); font-size:.9em; white-space:nowrap; }
.titlepage { text-align:center; font-size:1.2rem; margin:2rem 0; } .titlepart { margin:.3rem 0; }
.front .headnote { font-style:italic; }
article.document { border-top:1px solid var(--rule); margin-top:2.5rem; }
article.document h2.head { font-size:1.25rem; }
.dateline { text-align:right; font-style:italic; color:#444; } .opener .dateline { text-align:left; }
.bibl { font-size:.92em; color:#444; }
.list { display:grid; grid-template-columns:max-content 1fr; column-gap:.6rem; row-gap:.35rem; margin:1rem 0 1rem 1rem; }
.list .label { text-align:right; font-weight:600; } .note .label { font-weight:600; }
.ent { text-decoration:none; border-bottom:2px solid; padding:0 1px; border-radius:2px; }
.ent.pers { color:var(--person); border-color:rgba(31,95,168,.35); background:rgba(31,95,168,.06); }
.ent.place  { color:var(--place);  border-color:rgba(43,122,61,.35); background:rgba(43,122,61,.06); }
.ent.org    { color:var(--org);    border-color:rgba(122,59,143,.35); background:rgba(122,59,143,.06); }
.ent.unlinked { border-bottom-style:dotted; background:none; }
.ent:hover, .ent:focus { background:#fff2b3; }
.ent:target, .mention:target, time:target { outline:2px solid #e0a800; }
time.date { border-bottom:1px dotted #999; }
.corrected { border-bottom:1px dashed var(--corr); }
body.reading-source .rd-cor { display:none; } body.reading-corrected .rd-src { display:none; }
body.reading-source .rd-src.sic, body.reading-source .rd-src.orig { background:#fde8e0; }
.inline-note { color:#555; }
.notemark a, .noteref { text-decoration:none; } .noteref sup { font-size:.75em; }
.docnotes ol { list-style:none; padding-left:0; }
.docnotes { font-size:.92em; border-top:1px dotted var(--rule); margin-top:1.5rem; }
.note { margin:.4rem 0; } .note-n { font-weight:600; } .note-body { display:inline; } .note-body p { display:inline; margin:0; }
.note-resp { color:var(--muted); } .backlink { text-decoration:none; margin-left:.2rem; }
.endnotes ol { list-style:none; padding-left:0; } .endnotes ol.subnotes { margin:.3rem 0 .3rem 1.5rem; font-size:.95em; }
.index ul { list-style:none; padding-left:0; } .entry { margin:.5rem 0; padding:.3rem 0; border-bottom:1px solid #eee; }
.entry:target { background:#fff8d6; } .life, .geo, .recnote { color:var(--muted); font-size:.92em; }
.authority { font-family:system-ui, sans-serif; font-size:.78em; border:1px solid var(--rule); border-radius:3px; padding:0 .3rem; text-decoration:none; }
.mentions { font-size:.9em; margin-top:.15rem; } .where { font-weight:600; margin-left:.3rem; }
.mention { text-decoration:none; padding:0 .15rem; }
figure { margin:1rem 0; } figcaption { color:var(--muted); font-size:.85em; }
#map-reset { font:inherit; font-size:.9em; } #map-svg { cursor:zoom-in; width:100%; height:auto; max-height:34rem; background:#eef4f7; border:1px solid var(--rule); }
#map-svg .frame { fill:#eef4f7; } #map-svg .grid { stroke:#c5d3da; stroke-width:.05%; vector-effect:non-scaling-stroke; }
#map-svg .gridlabel { fill:#8aa0ab; font-family:sans-serif; } #map-svg circle { fill:var(--place); stroke:#fff; stroke-width:1px; vector-effect:non-scaling-stroke; }
#map-svg text { font-family:system-ui, "DejaVu Sans", sans-serif; fill:#1d3b26; } #map-svg a:hover text { font-weight:bold; }
#timeline-svg { width:100%; height:auto; font-family:system-ui, "DejaVu Sans", sans-serif; font-size:12px; }
#timeline-svg .axis { stroke:#333; stroke-width:2; } #timeline-svg .tick { stroke:#999; } #timeline-svg .tick.minor { stroke:#ddd; }
#timeline-svg .ticklabel { fill:#555; } #timeline-svg .outside { fill:#a05a00; font-size:11px; } #timeline-svg .ticklabel.minor { fill:#999; font-size:10px; }
#timeline-svg .tl-doc line { stroke:#1f5fa8; } #timeline-svg .tl-doc circle { fill:#1f5fa8; } #timeline-svg .tl-doc text { fill:#fff; font-size:9px; font-weight:bold; }
#timeline-svg .tl-date line { stroke:#a05a00; stroke-width:2; } #timeline-svg a:hover line { stroke:#e0a800; }
.chronology { border-collapse:collapse; font-size:.88em; width:100%; } .chronology caption { text-align:left; font-weight:600; }
.chronology th, .chronology td { border-bottom:1px solid #eee; padding:.25rem .4rem; text-align:left; vertical-align:top; }
.card { position:absolute; z-index:20; max-width:22rem; background:#fff; border:1px solid #bbb; border-radius:6px; box-shadow:0 4px 18px rgba(0,0,0,.18); padding:.6rem .8rem; font:14px/1.4 system-ui, "DejaVu Sans", sans-serif; }
.card .mentions { display:none; } .card .close { float:right; border:none; background:none; font-size:18px; cursor:pointer; }
.card .all { display:block; margin-top:.4rem; font-size:.9em; }
.none { color:var(--muted); }
@media print {
  header#top, #entity-card, .backlink, .sections, figure svg a title { display:none !important; }
  body { background:#fff; font-size:11pt; } main { max-width:none; padding:0; }
  body .rd-src { display:none !important; } body .rd-cor { display:inline !important; }
  .ent, time.date, .corrected { color:inherit !important; background:none !important; border:none !important; }
  a { color:inherit; text-decoration:none; }
  article.document, #notes, #index, #map, #timeline { break-before:page; }
  h2, h3 { break-after:avoid; } .entry, figure { break-inside:avoid; }
}
]]></xsl:text>
  </xsl:template>

  <xsl:template name="js">
    <xsl:text disable-output-escaping="yes"><![CDATA[
//<![CDATA[
(function () {
  "use strict";
  var body = document.body;
  function setReading(value) {
    body.classList.remove("reading-source", "reading-corrected");
    body.classList.add("reading-" + value);
    body.setAttribute("data-reading", value);
    var input = document.getElementById("reading-" + value);
    if (input) { input.checked = true; }
  }
  var radios = document.querySelectorAll("#reading-switch input[name=reading]");
  for (var i = 0; i < radios.length; i++) {
    radios[i].addEventListener("change", function (e) { if (e.target.checked) { setReading(e.target.value); } });
  }
  var card = document.getElementById("entity-card");
  function hideCard() { card.hidden = true; card.innerHTML = ""; }
  function showCard(anchor, ref) {
    var entry = document.getElementById("e-" + ref);
    if (!entry) { return false; }
    card.innerHTML = "";
    var close = document.createElement("button");
    close.className = "close"; close.type = "button"; close.setAttribute("aria-label", "close"); close.textContent = "\u00d7";
    close.addEventListener("click", hideCard);
    card.appendChild(close);
    card.appendChild(entry.querySelector(".entity").cloneNode(true));
    var n = entry.querySelectorAll(".mention").length;
    var all = document.createElement("a");
    all.className = "all"; all.href = "#e-" + ref;
    all.textContent = "Index entry: " + n + (n === 1 ? " mention" : " mentions");
    all.addEventListener("click", hideCard);
    card.appendChild(all);
    var r = anchor.getBoundingClientRect();
    card.style.left = Math.max(8, Math.min(window.scrollX + r.left, window.scrollX + document.documentElement.clientWidth - 360)) + "px";
    card.style.top = (window.scrollY + r.bottom + 6) + "px";
    card.hidden = false;
    return true;
  }
  document.addEventListener("click", function (e) {
    var a = e.target.closest ? e.target.closest(".ent[data-ref]") : null;
    if (a) {
      if (showCard(a, a.getAttribute("data-ref"))) { e.preventDefault(); }
      return;
    }
    if (!card.hidden && !card.contains(e.target)) { hideCard(); }
  });
  document.addEventListener("keydown", function (e) { if (e.key === "Escape") { hideCard(); } });
  // Hover: the authority record as a tooltip, read from the index entry the first time.
  function tooltip(a) {
    if (a.hasAttribute("title")) { return; }
    var entry = document.getElementById("e-" + a.getAttribute("data-ref"));
    if (!entry) { return; }
    var pref = entry.querySelector(".pref"), life = entry.querySelector(".life"), note = entry.querySelector(".recnote");
    var t = (pref ? pref.textContent : "") + (life ? " " + life.textContent : "");
    if (note) { t += " \u2014 " + note.textContent.trim(); }
    if (a.hasAttribute("data-cert")) { t += " [link certainty: " + a.getAttribute("data-cert") + "]"; }
    a.setAttribute("title", t);
  }
  document.addEventListener("mouseover", function (e) {
    var a = e.target.closest ? e.target.closest(".ent[data-ref]") : null;
    if (a) { tooltip(a); }
  });
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches(".ent[data-ref]")) { tooltip(e.target); }
  });
  // Index: "§3: 1 2 3" - the mentions grouped by document, numbered within the document.
  var lists = document.querySelectorAll("#index .mentions");
  for (var l = 0; l < lists.length; l++) {
    var links = lists[l].querySelectorAll("a.mention"), last = null, k = 0;
    for (var m = 0; m < links.length; m++) {
      var where = links[m].textContent;
      if (where !== last) {
        var head = document.createElement("span");
        head.className = "where";
        head.textContent = ({n: "notes", f: "front", t: "text"}[where] || "\u00a7" + where) + ": ";
        lists[l].insertBefore(head, links[m]);
        last = where; k = 0;
      }
      links[m].setAttribute("data-doc", where);
      links[m].textContent = String(++k);
    }
  }
  // Map: a click on the background zooms in twice around that point; labels keep their size.
  var map = document.getElementById("map-svg");
  if (map && map.viewBox && map.viewBox.baseVal) {
    var vb0 = map.getAttribute("viewBox"), base = map.viewBox.baseVal.width;
    // Each point: its circle's radius and its label's size and offset scale with the zoom.
    var points = [];
    map.querySelectorAll("a.place-point").forEach(function (a) {
      var c = a.querySelector("circle"), t = a.querySelector("text");
      if (!c || !t) { return; }
      var num = function (el, name) { return parseFloat(el.getAttribute(name)); };
      points.push({c: c, t: t, cx: num(c, "cx"), cy: num(c, "cy"), r: num(c, "r"),
                   dx: num(t, "x") - num(c, "cx"), dy: num(t, "y") - num(c, "cy"), fs: num(t, "font-size")});
    });
    var rescale = function () {
      var f = map.viewBox.baseVal.width / base;
      points.forEach(function (p) {
        p.c.setAttribute("r", String(p.r * f));
        p.t.setAttribute("font-size", String(p.fs * f));
        p.t.setAttribute("x", String(p.cx + p.dx * f));
        p.t.setAttribute("y", String(p.cy + p.dy * f));
      });
    };
    map.addEventListener("click", function (e) {
      if (e.target.closest("a")) { return; }
      var pt = map.createSVGPoint(); pt.x = e.clientX; pt.y = e.clientY;
      var p = pt.matrixTransform(map.getScreenCTM().inverse()), v = map.viewBox.baseVal;
      var w = v.width / 2, h = v.height / 2;
      map.setAttribute("viewBox", [p.x - w / 2, p.y - h / 2, w, h].join(" "));
      rescale();
    });
    var reset = document.getElementById("map-reset");
    if (reset) { reset.addEventListener("click", function () { map.setAttribute("viewBox", vb0); rescale(); }); }
  }
  var legend = document.querySelector("#index .note-index");
  if (legend) { legend.textContent = "Mentions grouped by document (\u00a7 number, the notes, the front matter), numbered within each."; }
  window.trotskyTei = { setReading: setReading, showCard: showCard, tooltip: tooltip };
})();
//]]]]><![CDATA[>
]]></xsl:text>
  </xsl:template>
</xsl:stylesheet>
