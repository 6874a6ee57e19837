<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI -> OAI-PMH Dublin Core (oai_dc), valid against oai_dc.xsd.

  Parameter `document`: the xml:id of one document (div[@type='document']) for that document's
  record; empty (the default) for one record describing the whole edition. Every output file
  is a single oai_dc:dc record, so each one validates on its own.

  title, creator, contributor (translator), date, language, subject (the persons and
  organisations named), coverage (the places named and the span of the dates mentioned),
  source, rights, publisher, type, format, identifier, relation (the edition).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xmlns:tts="urn:x-trotsky-tei:stream"
    xmlns:exsl="http://exslt.org/common"
    extension-element-prefixes="tts"
    exclude-result-prefixes="tei exsl">

  <xsl:include href="common.xsl"/>
  <xsl:include href="mentioned.xsl"/>


  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:param name="document" select="''"/>
  <!-- `all`: the record of every document of the edition's body in one run, each in a
       <record document="ID"> of one <records> element (export.py writes each record as a file
       of its own): one pass over the tree, where a run per document would read the whole tree
       once for each document. -->
  <xsl:param name="documents" select="''"/>

  <xsl:variable name="fd" select="$tt-header/tei:fileDesc"/>
  <xsl:variable name="lang" select="(/tei:TEI/tei:teiHeader/tei:profileDesc/tei:langUsage/tei:language/@ident | /tei:TEI/@xml:lang)[1]"/>

  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="$documents = 'all'">
        <!-- xsl:element, not literal elements: no namespace declarations, so that each record
             carries its own, as a record written alone does. -->
        <xsl:element name="records">
          <xsl:for-each select="$tt-docs[@xml:id]">
            <xsl:element name="record">
              <xsl:attribute name="document"><xsl:value-of select="@xml:id"/></xsl:attribute>
              <!-- each record is one piece, written out as soon as it is made (trotsky_tei/stream.py) -->
              <tts:stream>
                <xsl:call-template name="record"><xsl:with-param name="div" select="."/></xsl:call-template>
                <xsl:fallback><xsl:call-template name="record"><xsl:with-param name="div" select="."/></xsl:call-template></xsl:fallback>
              </tts:stream>
            </xsl:element>
          </xsl:for-each>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="div" select="key('tt-id', $document)/parent::tei:div"/>
        <xsl:if test="$document != '' and not($div)">
          <xsl:message terminate="yes">no document with xml:id '<xsl:value-of select="$document"/>'</xsl:message>
        </xsl:if>
        <xsl:call-template name="record"><xsl:with-param name="div" select="$div"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One oai_dc record: of the document `div`, or of the edition when `div` is empty. -->
  <xsl:template name="record">
    <xsl:param name="div" select="/.."/>
    <oai_dc:dc xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
      <dc:title>
        <xsl:if test="$lang"><xsl:attribute name="xml:lang"><xsl:value-of select="$lang"/></xsl:attribute></xsl:if>
        <xsl:choose>
          <xsl:when test="$div"><xsl:call-template name="doc-title"><xsl:with-param name="d" select="$div"/></xsl:call-template></xsl:when>
          <xsl:otherwise><xsl:value-of select="$tt-title"/></xsl:otherwise>
        </xsl:choose>
      </dc:title>
      <xsl:for-each select="$fd/tei:titleStmt/tei:author[normalize-space()]">
        <dc:creator><xsl:value-of select="normalize-space(.)"/></dc:creator>
      </xsl:for-each>
      <!-- Translators: from the responsibility statements, else from the source's editor role. -->
      <xsl:variable name="tr" select="$fd/tei:titleStmt/tei:respStmt[contains(translate(tei:resp, 'TRANSL', 'transl'), 'transl')]"/>
      <xsl:for-each select="$tr">
        <dc:contributor><xsl:value-of select="normalize-space((tei:persName | tei:name | tei:orgName)[1])"/> (translator)</dc:contributor>
      </xsl:for-each>
      <xsl:if test="not($tr)">
        <xsl:for-each select="$fd/tei:sourceDesc/descendant::tei:editor[@role='translator']">
          <dc:contributor><xsl:value-of select="normalize-space(.)"/> (translator)</dc:contributor>
        </xsl:for-each>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="$div">
          <xsl:variable name="d"><xsl:call-template name="tt-doc-date"><xsl:with-param name="div" select="$div"/></xsl:call-template></xsl:variable>
          <xsl:if test="$d != ''"><dc:date><xsl:value-of select="$d"/></dc:date></xsl:if>
          <dc:description>
            <xsl:value-of select="concat(translate(substring($div/@subtype, 1, 1), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'),
                                  substring($div/@subtype, 2))"/>
            <xsl:text> in the edition “</xsl:text><xsl:value-of select="$tt-title"/><xsl:text>”.</xsl:text>
          </dc:description>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="docdates-rtf"><xsl:call-template name="tt-doc-dates"/></xsl:variable>
          <xsl:call-template name="date-span">
            <xsl:with-param name="dates" select="exsl:node-set($docdates-rtf)/d"/>
            <xsl:with-param name="element">date</xsl:with-param>
          </xsl:call-template>
          <xsl:if test="$tt-docs">
            <dc:description>
              <xsl:value-of select="count($tt-docs)"/><xsl:text> documents: </xsl:text>
              <xsl:for-each select="$tt-docs">
                <xsl:call-template name="doc-title"/>
                <xsl:if test="position() != last()">; </xsl:if>
              </xsl:for-each>
            </dc:description>
          </xsl:if>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:for-each select="$fd/tei:publicationStmt/tei:publisher[normalize-space()]">
        <dc:publisher><xsl:value-of select="normalize-space(.)"/></dc:publisher>
      </xsl:for-each>
      <dc:type>Text</dc:type>
      <dc:format>application/tei+xml</dc:format>
      <xsl:variable name="idno" select="normalize-space($fd/tei:publicationStmt/tei:idno[1])"/>
      <xsl:if test="$idno != ''">
        <dc:identifier>
          <xsl:value-of select="$idno"/>
          <xsl:if test="$div">#<xsl:value-of select="$div/@xml:id"/></xsl:if>
        </dc:identifier>
      </xsl:if>
      <xsl:if test="$lang"><dc:language><xsl:value-of select="$lang"/></dc:language></xsl:if>

      <!-- Subjects: every person and organisation named, once, by preferred name. -->
      <xsl:choose>
        <xsl:when test="$div">
          <!-- The first mention of each record in this document (mentioned.xsl); the records are
               looked up from the document (key() searches the document of the context node). -->
          <xsl:variable name="firsts-rtf"><xsl:call-template name="tt-first-mentions"><xsl:with-param name="scope" select="$div"/></xsl:call-template></xsl:variable>
          <xsl:variable name="firsts" select="exsl:node-set($firsts-rtf)/i"/>
          <xsl:for-each select="$firsts[@n != 'placeName']">
            <xsl:variable name="rid" select="string(.)"/>
            <xsl:for-each select="$div">
              <xsl:if test="key('tt-id', $rid)">
                <dc:subject><xsl:call-template name="tt-index-label"><xsl:with-param name="rec" select="key('tt-id', $rid)/.."/></xsl:call-template></dc:subject>
              </xsl:if>
            </xsl:for-each>
          </xsl:for-each>
          <xsl:for-each select="$firsts[@n = 'placeName']">
            <xsl:variable name="rid" select="string(.)"/>
            <xsl:for-each select="$div">
              <xsl:if test="key('tt-id', $rid)">
                <dc:coverage><xsl:call-template name="tt-preferred-name"><xsl:with-param name="rec" select="key('tt-id', $rid)/.."/></xsl:call-template></dc:coverage>
              </xsl:if>
            </xsl:for-each>
          </xsl:for-each>
          <xsl:call-template name="date-span">
            <xsl:with-param name="dates" select="$div/descendant::tei:date[@when or @from or @to or @notBefore or @notAfter]"/>
            <xsl:with-param name="element">coverage</xsl:with-param>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:variable name="ids"><xsl:call-template name="tt-mentioned-ids"/></xsl:variable>
          <xsl:variable name="mentioned"
              select="key('tt-id', exsl:node-set($ids)/i)/parent::*[ancestor::tei:standOff[parent::tei:TEI[not(parent::*)]]]"/>
          <xsl:for-each select="$mentioned[self::tei:person or self::tei:org]">
            <dc:subject><xsl:call-template name="tt-index-label"/></dc:subject>
          </xsl:for-each>
          <xsl:for-each select="$mentioned[self::tei:place]">
            <dc:coverage><xsl:call-template name="tt-preferred-name"/></dc:coverage>
          </xsl:for-each>
          <xsl:call-template name="date-span">
            <xsl:with-param name="dates" select="/tei:TEI/tei:text/tei:body/descendant::tei:date[@when or @from or @to or @notBefore or @notAfter][ancestor::tei:div[@type='document']]"/>
            <xsl:with-param name="element">coverage</xsl:with-param>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>

      <xsl:choose>
        <xsl:when test="$fd/tei:sourceDesc/tei:bibl">
          <dc:source><xsl:call-template name="tt-bibl-text"><xsl:with-param name="bibl" select="$fd/tei:sourceDesc/tei:bibl[1]"/></xsl:call-template></dc:source>
        </xsl:when>
        <xsl:when test="normalize-space($fd/tei:sourceDesc) != ''">
          <dc:source><xsl:value-of select="normalize-space($fd/tei:sourceDesc)"/></dc:source>
        </xsl:when>
      </xsl:choose>
      <xsl:if test="$div">
        <dc:relation><xsl:value-of select="$tt-title"/></dc:relation>
      </xsl:if>
      <xsl:for-each select="$fd/tei:publicationStmt/tei:availability[normalize-space()]">
        <dc:rights><xsl:value-of select="normalize-space(.)"/></dc:rights>
      </xsl:for-each>
    </oai_dc:dc>
  </xsl:template>

  <!-- The span of a set of dates as one ISO 8601 value or interval ("1918-03/1918-08-14"). -->
  <xsl:template name="date-span">
    <xsl:param name="dates"/>
    <xsl:param name="element"/>
    <xsl:if test="$dates">
      <xsl:variable name="starts" select="$dates[concat(@when, @from, @notBefore) != '']"/>
      <xsl:variable name="ends" select="$dates[concat(@when, @to, @notAfter) != '']"/>
      <xsl:variable name="first"><xsl:for-each select="$starts"><xsl:sort select="concat(@when, @from, @notBefore)"/><xsl:if test="position() = 1"><xsl:value-of select="concat(@when, @from, @notBefore)"/></xsl:if></xsl:for-each></xsl:variable>
      <xsl:variable name="last"><xsl:for-each select="$ends"><xsl:sort select="concat(@when, @to, @notAfter)" order="descending"/><xsl:if test="position() = 1"><xsl:value-of select="concat(@when, @to, @notAfter)"/></xsl:if></xsl:for-each></xsl:variable>
      <xsl:element name="dc:{$element}">
        <xsl:value-of select="$first"/>
        <xsl:if test="$last != $first and $last != ''"><xsl:text>/</xsl:text><xsl:value-of select="$last"/></xsl:if>
      </xsl:element>
    </xsl:if>
  </xsl:template>

  <xsl:template name="doc-title">
    <xsl:param name="d" select="."/>
    <xsl:variable name="t"><xsl:apply-templates select="$d/tei:head[1]" mode="plain"/></xsl:variable>
    <xsl:value-of select="normalize-space($t)"/>
  </xsl:template>

  <xsl:template match="tei:note | tei:ref" mode="plain"/>
  <xsl:template match="tei:choice" mode="plain">
    <xsl:apply-templates select="((tei:corr | tei:reg)[1] | tei:*[not(@source)][not(../tei:corr | ../tei:reg)][1])[1]/node()" mode="plain"/>
  </xsl:template>
  <xsl:template match="tei:lb" mode="plain"><xsl:text> </xsl:text></xsl:template>
</xsl:stylesheet>
