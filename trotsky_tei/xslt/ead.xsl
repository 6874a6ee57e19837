<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI -> EAD3 1.1.1 finding aid, valid against the official ead3.xsd / ead3.rng.

  control: recordid, filedesc, maintenancestatus, maintenanceagency, languagedeclaration,
  maintenancehistory (one event per revisionDesc/change).
  archdesc level="collection": did (unittitle, unitid, origination, unitdate, physdesc,
  langmaterial), scopecontent, controlaccess (every person, place and organisation named,
  with the Wikidata / GeoNames URI as @identifier and the authority as @source), and a dsc
  with one c level="item" per document (unittitle, unitid, unitdate with an ISO @normal,
  scopecontent, controlaccess of the names in that document).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns="http://ead3.archivists.org/schema/"
    xmlns:exsl="http://exslt.org/common"
    xmlns:tts="urn:x-trotsky-tei:stream"
    extension-element-prefixes="tts"
    exclude-result-prefixes="tei exsl">

  <xsl:include href="common.xsl"/>
  <xsl:include href="mentioned.xsl"/>



  <!-- The access term of each record the text mentions (terms are looked up for mentions only),
       made once (a record named in many documents would otherwise be described again in each):
       <term id=""> elements in no namespace, each holding the EAD element, looked up by record
       id. The records are found by id from the mentions (mentioned.xsl), not by walking the
       document once for each kind of record. -->
  <xsl:key name="ead-term" match="/term" use="@id"/>
  <xsl:variable name="tt-mentioned-ids"><xsl:call-template name="tt-mentioned-ids"/></xsl:variable>
  <xsl:variable name="tt-mentioned"
      select="key('tt-id', exsl:node-set($tt-mentioned-ids)/i)/parent::*[ancestor::tei:standOff[parent::tei:TEI[not(parent::*)]]]"/>
  <xsl:variable name="terms-rtf">
    <xsl:for-each select="key('tt-id', exsl:node-set($tt-mentioned-ids)/i)/parent::*[self::tei:person or self::tei:place or self::tei:org]">
      <xsl:element name="term" namespace="">
        <xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute>
        <xsl:call-template name="access-term"/>
      </xsl:element>
    </xsl:for-each>
  </xsl:variable>
  <xsl:variable name="terms" select="exsl:node-set($terms-rtf)"/>

  <xsl:output method="xml" encoding="UTF-8" indent="yes"/>

  <xsl:variable name="fd" select="$tt-header/tei:fileDesc"/>
  <xsl:variable name="records" select="/tei:TEI/tei:standOff"/>
  <xsl:variable name="recordid">
    <xsl:choose>
      <xsl:when test="normalize-space($fd/tei:publicationStmt/tei:idno[1]) != ''"><xsl:value-of select="normalize-space($fd/tei:publicationStmt/tei:idno[1])"/></xsl:when>
      <xsl:when test="/tei:TEI/@xml:id"><xsl:value-of select="/tei:TEI/@xml:id"/></xsl:when>
      <xsl:otherwise>trotsky-tei-edition</xsl:otherwise>
    </xsl:choose>
  </xsl:variable>
  <xsl:variable name="lang" select="(/tei:TEI/@xml:lang | $tt-header/tei:profileDesc/tei:langUsage/tei:language/@ident)[1]"/>

  <xsl:template match="/">
    <ead>
      <control>
        <recordid><xsl:value-of select="$recordid"/></recordid>
        <filedesc>
          <titlestmt>
            <titleproper><xsl:value-of select="$tt-title"/></titleproper>
            <xsl:for-each select="$fd/tei:titleStmt/tei:author[1]">
              <author><xsl:value-of select="normalize-space(.)"/></author>
            </xsl:for-each>
          </titlestmt>
          <xsl:if test="$fd/tei:publicationStmt/tei:publisher">
            <publicationstmt>
              <publisher><xsl:value-of select="normalize-space($fd/tei:publicationStmt/tei:publisher[1])"/></publisher>
            </publicationstmt>
          </xsl:if>
        </filedesc>
        <maintenancestatus value="new"/>
        <maintenanceagency>
          <agencyname>
            <xsl:choose>
              <xsl:when test="$fd/tei:publicationStmt/tei:publisher"><xsl:value-of select="normalize-space($fd/tei:publicationStmt/tei:publisher[1])"/></xsl:when>
              <xsl:otherwise>trotsky-tei</xsl:otherwise>
            </xsl:choose>
          </agencyname>
        </maintenanceagency>
        <languagedeclaration>
          <xsl:call-template name="language"><xsl:with-param name="code" select="$lang"/></xsl:call-template>
          <script scriptcode="Latn">Latin</script>
        </languagedeclaration>
        <maintenancehistory>
          <xsl:for-each select="$tt-header/tei:revisionDesc/tei:change">
            <maintenanceevent>
              <eventtype>
                <xsl:attribute name="value"><xsl:choose><xsl:when test="position() = last()">created</xsl:when><xsl:otherwise>revised</xsl:otherwise></xsl:choose></xsl:attribute>
              </eventtype>
              <eventdatetime>
                <xsl:if test="@when"><xsl:attribute name="standarddatetime"><xsl:value-of select="@when"/></xsl:attribute></xsl:if>
                <xsl:value-of select="(@when | @notAfter)[1]"/>
                <xsl:if test="not(@when | @notAfter)">undated</xsl:if>
              </eventdatetime>
              <agenttype value="machine"/>
              <agent>trotsky-tei</agent>
              <xsl:if test="normalize-space(.) != ''">
                <eventdescription><xsl:value-of select="normalize-space(.)"/></eventdescription>
              </xsl:if>
            </maintenanceevent>
          </xsl:for-each>
          <xsl:if test="not($tt-header/tei:revisionDesc/tei:change)">
            <maintenanceevent>
              <eventtype value="created"/>
              <eventdatetime>undated</eventdatetime>
              <agenttype value="machine"/>
              <agent>trotsky-tei</agent>
            </maintenanceevent>
          </xsl:if>
        </maintenancehistory>
      </control>

      <archdesc level="collection">
        <did>
          <unittitle><xsl:value-of select="$tt-title"/></unittitle>
          <unitid><xsl:value-of select="$recordid"/></unitid>
          <xsl:if test="$fd/tei:titleStmt/tei:author">
            <origination label="Creator">
              <xsl:for-each select="$fd/tei:titleStmt/tei:author">
                <xsl:variable name="rec" select="key('tt-id', substring-after(@ref, '#'))/.."/>
                <persname relator="creator">
                  <xsl:if test="$rec"><xsl:call-template name="authority-attributes"><xsl:with-param name="rec" select="$rec"/></xsl:call-template></xsl:if>
                  <part><xsl:value-of select="normalize-space(.)"/></part>
                </persname>
              </xsl:for-each>
            </origination>
          </xsl:if>
          <xsl:variable name="docdates-rtf"><xsl:call-template name="tt-doc-dates"/></xsl:variable>
          <xsl:variable name="docdates" select="exsl:node-set($docdates-rtf)/d"/>
          <xsl:if test="$docdates">
            <xsl:variable name="first"><xsl:for-each select="$docdates"><xsl:sort select="@when"/><xsl:if test="position() = 1"><xsl:value-of select="@when"/></xsl:if></xsl:for-each></xsl:variable>
            <xsl:variable name="last"><xsl:for-each select="$docdates"><xsl:sort select="@when" order="descending"/><xsl:if test="position() = 1"><xsl:value-of select="@when"/></xsl:if></xsl:for-each></xsl:variable>
            <unitdate unitdatetype="inclusive">
              <xsl:attribute name="normal"><xsl:value-of select="$first"/><xsl:if test="$last != $first">/<xsl:value-of select="$last"/></xsl:if></xsl:attribute>
              <xsl:value-of select="$first"/><xsl:if test="$last != $first">–<xsl:value-of select="$last"/></xsl:if>
            </unitdate>
          </xsl:if>
          <physdesc><xsl:value-of select="count($tt-docs)"/> document<xsl:if test="count($tt-docs) != 1">s</xsl:if> (TEI P5 encoding)</physdesc>
          <langmaterial>
            <xsl:call-template name="language"><xsl:with-param name="code" select="$lang"/></xsl:call-template>
          </langmaterial>
        </did>
        <xsl:if test="normalize-space($fd/tei:sourceDesc) != '' or $tt-docs">
          <scopecontent>
            <xsl:choose>
              <xsl:when test="$fd/tei:sourceDesc/tei:bibl">
                <p>Source: <xsl:call-template name="tt-bibl-text"><xsl:with-param name="bibl" select="$fd/tei:sourceDesc/tei:bibl[1]"/></xsl:call-template>.</p>
              </xsl:when>
              <xsl:when test="normalize-space($fd/tei:sourceDesc) != ''">
                <p>Source: <xsl:value-of select="normalize-space($fd/tei:sourceDesc)"/></p>
              </xsl:when>
            </xsl:choose>
            <xsl:if test="$tt-docs">
              <p><xsl:value-of select="count($tt-docs)"/> documents: <xsl:for-each select="$tt-docs">
                  <xsl:call-template name="doc-title"/><xsl:if test="position() != last()">; </xsl:if>
                </xsl:for-each>.</p>
            </xsl:if>
          </scopecontent>
        </xsl:if>
        <xsl:variable name="named" select="$tt-mentioned[self::tei:person or self::tei:place or self::tei:org]"/>
        <xsl:if test="$named">
          <!-- In index order: persons, places, organisations, each alphabetically. -->
          <controlaccess>
            <xsl:call-template name="access-terms"><xsl:with-param name="recs" select="$named[self::tei:person]"/></xsl:call-template>
            <xsl:call-template name="access-terms"><xsl:with-param name="recs" select="$named[self::tei:place]"/></xsl:call-template>
            <xsl:call-template name="access-terms"><xsl:with-param name="recs" select="$named[self::tei:org]"/></xsl:call-template>
          </controlaccess>
        </xsl:if>
        <xsl:if test="$tt-docs">
          <dsc>
            <!-- The components are one piece of the output, written out after each document
                 (trotsky_tei/stream.py): the finding aid of a large corpus is never held whole
                 in memory. -->
            <tts:stream>
              <xsl:call-template name="components"/>
              <xsl:fallback><xsl:call-template name="components"/></xsl:fallback>
            </tts:stream>
          </dsc>
        </xsl:if>
      </archdesc>
    </ead>
  </xsl:template>

  <!-- The documents' components, written out after each one. -->
  <xsl:template name="components">
    <xsl:for-each select="$tt-docs">
      <xsl:call-template name="component"/>
      <tts:cut><xsl:fallback/></tts:cut>
    </xsl:for-each>
  </xsl:template>

  <!-- The component of the current document (called, not matched: libxslt counts a node's
       siblings to match a pattern with a predicate, docs/exports.md, "Speed"). -->
  <xsl:template name="component">
    <xsl:variable name="date"><xsl:call-template name="tt-doc-date"/></xsl:variable>
    <c level="item">
      <xsl:if test="@xml:id"><xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute></xsl:if>
      <did>
        <unittitle><xsl:call-template name="doc-title"/></unittitle>
        <unitid><xsl:value-of select="$recordid"/><xsl:if test="@xml:id">#<xsl:value-of select="@xml:id"/></xsl:if></unitid>
        <xsl:if test="$date != ''">
          <xsl:variable name="written" select="(tei:opener/descendant::tei:date[@when] | tei:head/descendant::tei:date[@when] | tei:closer/descendant::tei:date[@when])[1]"/>
          <unitdate normal="{$date}">
            <xsl:choose>
              <xsl:when test="$written"><xsl:value-of select="normalize-space($written)"/></xsl:when>
              <xsl:otherwise><xsl:value-of select="$date"/></xsl:otherwise>
            </xsl:choose>
          </unitdate>
        </xsl:if>
        <xsl:if test="@subtype">
          <physdesc><xsl:value-of select="@subtype"/></physdesc>
        </xsl:if>
      </did>
      <xsl:for-each select="(./descendant::tei:bibl | ./descendant::tei:note[@type='publication'])[1]">
        <scopecontent><p><xsl:value-of select="normalize-space(.)"/></p></scopecontent>
      </xsl:for-each>
      <!-- The names of this document, each record once (mentioned.xsl). -->
      <xsl:variable name="firsts-rtf"><xsl:call-template name="tt-first-mentions"/></xsl:variable>
      <xsl:variable name="firsts" select="exsl:node-set($firsts-rtf)/i"/>
      <xsl:if test="key('tt-id', $firsts)">
        <controlaccess>
          <xsl:for-each select="$firsts">
            <xsl:variable name="rid" select="string(.)"/>
            <xsl:for-each select="$terms">
              <xsl:copy-of select="key('ead-term', $rid)/*"/>
            </xsl:for-each>
          </xsl:for-each>
        </controlaccess>
      </xsl:if>
    </c>
  </xsl:template>

  <!-- Access terms for records, in index order. -->
  <xsl:template name="access-terms">
    <xsl:param name="recs"/>
    <xsl:variable name="order"><xsl:call-template name="tt-index-order"><xsl:with-param name="recs" select="$recs"/></xsl:call-template></xsl:variable>
    <xsl:for-each select="exsl:node-set($order)/e">
      <xsl:variable name="id" select="string(@id)"/>
      <xsl:for-each select="$terms">
        <xsl:copy-of select="key('ead-term', $id)/*"/>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- persname / geogname / corpname for an authority record. -->
  <xsl:template name="access-term">
    <!-- Persons in inverted form ("Lockhart, Robert Bruce"), as archival access points are. -->
    <xsl:variable name="name"><xsl:call-template name="tt-index-label"/></xsl:variable>
    <xsl:variable name="el">
      <xsl:choose>
        <xsl:when test="self::tei:person">persname</xsl:when>
        <xsl:when test="self::tei:place">geogname</xsl:when>
        <xsl:otherwise>corpname</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$el}">
      <xsl:call-template name="authority-attributes"/>
      <part><xsl:value-of select="$name"/></part>
      <xsl:if test="self::tei:person">
        <xsl:variable name="life"><xsl:call-template name="tt-life-dates"/></xsl:variable>
        <xsl:if test="$life != ''"><part localtype="dates"><xsl:value-of select="$life"/></part></xsl:if>
      </xsl:if>
      <xsl:if test="self::tei:place and normalize-space(tei:location/tei:geo) != ''">
        <geographiccoordinates coordinatesystem="WGS84"><xsl:value-of select="normalize-space(tei:location/tei:geo)"/></geographiccoordinates>
      </xsl:if>
    </xsl:element>
  </xsl:template>

  <!-- @identifier (the authority's URI) and @source: GeoNames for places that have it, else Wikidata. -->
  <xsl:template name="authority-attributes">
    <xsl:param name="rec" select="."/>
    <xsl:variable name="wd" select="normalize-space($rec/tei:idno[@type='wikidata'][1])"/>
    <xsl:variable name="gn" select="normalize-space($rec/tei:idno[@type='geonames'][1])"/>
    <xsl:choose>
      <xsl:when test="$rec/self::tei:place and $gn != ''">
        <xsl:attribute name="identifier">
          <xsl:choose>
            <xsl:when test="starts-with($gn, 'http')"><xsl:value-of select="$gn"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="concat('https://sws.geonames.org/', $gn, '/')"/></xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
        <xsl:attribute name="source">geonames</xsl:attribute>
      </xsl:when>
      <xsl:when test="$wd != ''">
        <xsl:attribute name="identifier">
          <xsl:choose>
            <xsl:when test="starts-with($wd, 'http')"><xsl:value-of select="$wd"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="concat('http://www.wikidata.org/entity/', $wd)"/></xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
        <xsl:attribute name="source">wikidata</xsl:attribute>
      </xsl:when>
      <xsl:otherwise>
        <xsl:attribute name="source">local</xsl:attribute>
        <xsl:attribute name="identifier"><xsl:value-of select="$rec/@xml:id"/></xsl:attribute>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ISO 639-2/B code for the common ISO 639-1 codes of TEI @xml:lang. -->
  <xsl:template name="language">
    <xsl:param name="code"/>
    <xsl:variable name="c" select="substring-before(concat($code, '-'), '-')"/>
    <xsl:variable name="table" select="' en:eng:English ru:rus:Russian de:ger:German fr:fre:French cs:cze:Czech sk:slo:Slovak uk:ukr:Ukrainian pl:pol:Polish it:ita:Italian es:spa:Spanish '"/>
    <xsl:variable name="hit" select="substring-before(substring-after($table, concat(' ', $c, ':')), ' ')"/>
    <language>
      <xsl:choose>
        <xsl:when test="$hit != ''">
          <xsl:attribute name="langcode"><xsl:value-of select="substring-before($hit, ':')"/></xsl:attribute>
          <xsl:value-of select="substring-after($hit, ':')"/>
        </xsl:when>
        <xsl:when test="$c != ''">
          <xsl:attribute name="langcode"><xsl:value-of select="$c"/></xsl:attribute>
          <xsl:value-of select="$c"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:attribute name="langcode">und</xsl:attribute>
          <xsl:text>undetermined</xsl:text>
        </xsl:otherwise>
      </xsl:choose>
    </language>
  </xsl:template>

  <xsl:template name="doc-title">
    <xsl:variable name="t"><xsl:apply-templates select="tei:head[1]" mode="plain"/></xsl:variable>
    <xsl:choose>
      <xsl:when test="normalize-space($t) != ''"><xsl:value-of select="normalize-space($t)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat(@subtype, ' ', @n)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:note | tei:ref" mode="plain"/>
  <xsl:template match="tei:choice" mode="plain">
    <xsl:apply-templates select="((tei:corr | tei:reg)[1] | tei:*[not(@source)][not(../tei:corr | ../tei:reg)][1])[1]/node()" mode="plain"/>
  </xsl:template>
  <xsl:template match="tei:lb" mode="plain"><xsl:text> </xsl:text></xsl:template>
</xsl:stylesheet>
