<?xml version="1.0" encoding="UTF-8"?>
<!--
  Shared keys and named templates for the export stylesheets (included, never run alone).

  Everything is looked up through keys, so that every stylesheet stays linear in the size of
  the TEI: no `//` inside loops.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:exsl="http://exslt.org/common"
    exclude-result-prefixes="tei exsl">

  <!-- libxslt builds every key a stylesheet declares on the first key() call, so only the keys
       every export needs are declared here; a stylesheet declares its other keys itself:
       tt-mentions (the mentions of a record in the text: persName, placeName, orgName, rs... by
       the id of the record; see mentioned.xsl for its cost) and tt-refs (cross-references to
       notes, by the id of the note). -->
  <!-- Every xml:id by its value (authority records of standOff, notes, documents):
       key('tt-id', $id)/.. is the element. A key on the attributes is found in one walk of the
       document; a key on the elements (*[@xml:id]) makes libxml2 collect every node first and
       look at the children of each, twice the time (0.45 against 0.24 s for the 1000x file). The
       other keys match attributes for the same reason (tests/test_stylesheet_costs.py). -->
  <xsl:key name="tt-id" match="@xml:id" use="."/>
  <!-- A stable id for a mention, a date or a reference: its xml:id, else one generated.
       Stylesheets inline the same expression where speed matters:
       concat(@xml:id, substring(concat('m-', generate-id()), 1, 99 * not(@xml:id))) -->
  <xsl:template name="tt-node-id">
    <xsl:param name="node" select="."/>
    <xsl:choose>
      <xsl:when test="$node/@xml:id"><xsl:value-of select="$node/@xml:id"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('m-', generate-id($node))"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The documents of the edition. -->
  <xsl:variable name="tt-docs" select="/tei:TEI/tei:text/tei:body/descendant::tei:div[@type='document']"/>
  <xsl:variable name="tt-header" select="/tei:TEI/tei:teiHeader"/>
  <xsl:variable name="tt-title" select="normalize-space($tt-header/tei:fileDesc/tei:titleStmt/tei:title[1])"/>

  <!-- The dates of the documents themselves, those of their headings, openers and closers (the
       edition's span in Dublin Core, EAD and the timeline), as <d when="..."/> in document order:
       exsl:node-set($rtf)/d. Found from each document's own heading, opener and closer, not by
       a walk of the whole body testing every date's ancestors, and one of them at a time: a
       location path from all of them at once ($tt-docs/*/descendant::tei:date) makes libxml2
       compare each date found with every date found before, the square of the dates. -->
  <xsl:template name="tt-doc-dates">
    <xsl:for-each select="$tt-docs/*[self::tei:opener or self::tei:head or self::tei:closer]">
      <xsl:for-each select="descendant::tei:date[@when]"><d when="{@when}"/></xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- ISO date of a document: its opening dateline, else its heading, else its closing dateline. -->
  <xsl:template name="tt-doc-date">
    <xsl:param name="div" select="."/>
    <xsl:variable name="d" select="($div/tei:opener/descendant::tei:date[@when] | $div/tei:head/descendant::tei:date[@when])[1]/@when"/>
    <xsl:choose>
      <xsl:when test="$d"><xsl:value-of select="$d"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="($div/tei:closer/descendant::tei:date[@when] | $div/tei:dateline/descendant::tei:date[@when])[1]/@when"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The sortable ISO value of a date element (@when, else the start of its range). -->
  <xsl:template name="tt-date-value">
    <xsl:param name="date" select="."/>
    <xsl:value-of select="($date/@when | $date/@from | $date/@notBefore | $date/@to | $date/@notAfter)[1]"/>
  </xsl:template>

  <!-- Preferred name of an authority record (person, place, org): its name of type "preferred",
       else its first name. Stylesheets inline the same expression (one XPath, no call) where it
       runs for every record:
       normalize-space((tei:persName[@type='preferred'] | tei:placeName[@type='preferred'] | tei:orgName[@type='preferred']
         | (tei:persName | tei:placeName | tei:orgName | tei:name)[1][not(../tei:persName[@type='preferred']
           | ../tei:placeName[@type='preferred'] | ../tei:orgName[@type='preferred'])])[1]) -->
  <xsl:template name="tt-preferred-name">
    <xsl:param name="rec" select="."/>
    <xsl:value-of select="normalize-space(($rec/tei:persName[@type='preferred'] | $rec/tei:placeName[@type='preferred']
                          | $rec/tei:orgName[@type='preferred']
                          | ($rec/tei:persName | $rec/tei:placeName | $rec/tei:orgName | $rec/tei:name)[1][not(
                              ../tei:persName[@type='preferred'] | ../tei:placeName[@type='preferred']
                              | ../tei:orgName[@type='preferred'])])[1])"/>
  </xsl:template>

  <!-- Life dates or existence dates of a record: "1879–1940". -->
  <xsl:template name="tt-life-dates">
    <xsl:param name="rec" select="."/>
    <xsl:variable name="b" select="substring(($rec/tei:birth/@when | $rec/tei:floruit/@from)[1], 1, 4)"/>
    <xsl:variable name="d" select="substring(($rec/tei:death/@when | $rec/tei:floruit/@to)[1], 1, 4)"/>
    <xsl:if test="$b or $d">
      <xsl:value-of select="$b"/><xsl:text>–</xsl:text><xsl:value-of select="$d"/>
    </xsl:if>
  </xsl:template>

  <!-- Authority URIs: an idno holds either a bare identifier or a full URI. -->
  <xsl:template name="tt-wikidata-uri">
    <xsl:param name="rec" select="."/>
    <xsl:variable name="v" select="normalize-space($rec/tei:idno[@type='wikidata'][1])"/>
    <xsl:choose>
      <xsl:when test="$v = ''"/>
      <xsl:when test="starts-with($v, 'http')"><xsl:value-of select="$v"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('https://www.wikidata.org/wiki/', $v)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="tt-geonames-uri">
    <xsl:param name="rec" select="."/>
    <xsl:variable name="v" select="normalize-space($rec/tei:idno[@type='geonames'][1])"/>
    <xsl:choose>
      <xsl:when test="$v = ''"/>
      <xsl:when test="starts-with($v, 'http')"><xsl:value-of select="$v"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('https://www.geonames.org/', $v)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Entity type of a record or a mention: person, place, org. -->
  <xsl:template name="tt-entity-type">
    <xsl:param name="node" select="."/>
    <xsl:choose>
      <xsl:when test="$node/self::tei:person or $node/self::tei:persName">person</xsl:when>
      <xsl:when test="$node/self::tei:place or $node/self::tei:placeName">place</xsl:when>
      <xsl:otherwise>org</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A bibliographic description as one line: its own text when it has running text, else
       its parts joined ("Title, tr. Translator, Place: Publisher, 1979"). -->
  <xsl:template name="tt-bibl-text">
    <xsl:param name="bibl" select="."/>
    <xsl:choose>
      <xsl:when test="$bibl/text()[normalize-space()]"><xsl:value-of select="normalize-space($bibl)"/></xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="$bibl/tei:author[1]"><xsl:value-of select="normalize-space(.)"/><xsl:text>, </xsl:text></xsl:for-each>
        <xsl:value-of select="normalize-space($bibl/tei:title[1])"/>
        <xsl:for-each select="$bibl/tei:editor[@role='translator'][1]"><xsl:text>, tr. </xsl:text><xsl:value-of select="normalize-space(.)"/></xsl:for-each>
        <xsl:if test="$bibl/tei:pubPlace | $bibl/tei:publisher">
          <xsl:text>, </xsl:text>
          <xsl:value-of select="normalize-space($bibl/tei:pubPlace[1])"/>
          <xsl:if test="$bibl/tei:pubPlace and $bibl/tei:publisher">: </xsl:if>
          <xsl:value-of select="normalize-space($bibl/tei:publisher[1])"/>
        </xsl:if>
        <xsl:for-each select="$bibl/tei:date[1]"><xsl:text>, </xsl:text><xsl:value-of select="normalize-space(.)"/></xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- ============================================================ index order -->

  <xsl:variable name="tt-root" select="/"/>

  <!-- The last word of a name ("Robert Bruce Lockhart" -> "Lockhart"). -->
  <xsl:template name="tt-last-word">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, ' ')">
        <xsl:call-template name="tt-last-word"><xsl:with-param name="s" select="substring-after($s, ' ')"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Index heading of a record: persons inverted ("Lockhart, Robert Bruce") unless the record
       gives a surname or an inverted name itself; places and organisations as named. -->
  <xsl:template name="tt-index-label">
    <xsl:param name="rec" select="."/>
    <xsl:variable name="name" select="normalize-space(($rec/tei:persName[@type='preferred'] | $rec/tei:placeName[@type='preferred']
                                      | $rec/tei:orgName[@type='preferred']
                                      | ($rec/tei:persName | $rec/tei:placeName | $rec/tei:orgName | $rec/tei:name)[1][not(
                                          ../tei:persName[@type='preferred'] | ../tei:placeName[@type='preferred']
                                          | ../tei:orgName[@type='preferred'])])[1])"/>
    <xsl:choose>
      <xsl:when test="not($rec/self::tei:person)"><xsl:value-of select="$name"/></xsl:when>
      <xsl:otherwise>
        <xsl:variable name="pn" select="($rec/tei:persName[@type='preferred'] | $rec/tei:persName)[1]"/>
        <xsl:choose>
          <xsl:when test="$pn/tei:surname">
            <xsl:value-of select="normalize-space($pn/tei:surname)"/>
            <xsl:if test="$pn/tei:forename">, <xsl:value-of select="normalize-space($pn/tei:forename)"/></xsl:if>
          </xsl:when>
          <xsl:when test="not(contains($name, ',')) and contains($name, ' ')">
            <xsl:variable name="last"><xsl:call-template name="tt-last-word"><xsl:with-param name="s" select="$name"/></xsl:call-template></xsl:variable>
            <xsl:value-of select="concat($last, ', ', substring($name, 1, string-length($name) - string-length($last) - 1))"/>
          </xsl:when>
          <xsl:otherwise><xsl:value-of select="$name"/></xsl:otherwise>
        </xsl:choose>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Sort keys of index headings: upper case, common diacritics folded. -->
  <xsl:variable name="tt-fold-from" select="'abcdefghijklmnopqrstuvwxyzÁÀÂÄÃÅáàâäãåČčĆćÇçĎďÉÈÊËĚéèêëěÍÌÎÏíìîïŁłŃńŇňÑñÓÒÔÖÕØóòôöõøŘřŠšŚśŤťÚÙÛÜŮúùûüůÝýŽžŹźŻż'"/>
  <xsl:variable name="tt-fold-to" select="'ABCDEFGHIJKLMNOPQRSTUVWXYZAAAAAAAAAAAACCCCCCDDEEEEEEEEEEIIIIIIIILLNNNNNNOOOOOOOOOOOORRSSSSTTUUUUUUUUUUYYZZZZZZ'"/>

  <!-- Records for the index: a node-set of <e id="" label="" key=""/> in the order of `recs`;
       callers sort by @key (xsl:sort is stable: records with the same key keep their order).
       Lookups from it go back to the TEI through $tt-root. -->
  <xsl:template name="tt-index-entries">
    <xsl:param name="recs"/>
    <xsl:for-each select="$recs">
      <xsl:variable name="label"><xsl:call-template name="tt-index-label"/></xsl:variable>
      <e id="{@xml:id}" label="{$label}" key="{translate($label, $tt-fold-from, $tt-fold-to)}"/>
    </xsl:for-each>
  </xsl:template>

  <!-- Records in index order: the entries above, sorted by key. -->
  <xsl:template name="tt-index-order">
    <xsl:param name="recs"/>
    <xsl:variable name="entries"><xsl:call-template name="tt-index-entries"><xsl:with-param name="recs" select="$recs"/></xsl:call-template></xsl:variable>
    <xsl:for-each select="exsl:node-set($entries)/e">
      <xsl:sort select="@key"/>
      <xsl:copy-of select="."/>
    </xsl:for-each>
  </xsl:template>

  <!-- A text of a choice child for the apparatus, whitespace normalised. -->
  <xsl:template name="tt-plain">
    <xsl:param name="node" select="."/>
    <xsl:value-of select="normalize-space($node)"/>
  </xsl:template>
</xsl:stylesheet>
